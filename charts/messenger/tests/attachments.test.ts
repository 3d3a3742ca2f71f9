// Messaging's attachments: the external S3 endpoint and its settings reach messaging's
// ConfigMap, the credentials only as references to the existing Secret.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseObjects, podTemplates, runHelm, scenarios, templateArgs } from './lib/render.ts';

const external = [
  '--set',
  'attachments.s3.endpoint=https://s3.storage.example.com',
  '--set',
  'attachments.s3.region=eu-central-1',
  '--set',
  'attachments.s3.bucket=chat-files',
  '--set',
  'attachments.s3.forcePathStyle=true',
  '--set',
  'attachments.s3.existingSecret=chat-s3',
  '--set',
  'attachments.urlTtlSeconds=900',
];

interface EnvEntry {
  name: string;
  valueFrom?: unknown;
}

function messaging(extra: string[]): { data: Record<string, string>; env: EnvEntry[] } {
  const objects = parseObjects(runHelm(templateArgs(scenarios()[0]!, extra)));
  const settings = objects.find(
    (o) =>
      o.kind === 'ConfigMap' &&
      (o as { data?: Record<string, string> }).data?.['OTEL_SERVICE_NAME'] === 'messaging',
  ) as { data: Record<string, string> } | undefined;
  assert.ok(settings, "messaging's ConfigMap");
  const pod = podTemplates(objects).find((p) => p.owner.metadata.name.endsWith('-messaging'));
  assert.ok(pod, "messaging's pod template");
  const containers = (pod.spec as { containers: { name: string; env?: unknown[] }[] }).containers;
  const container = containers.find((c) => c.name === 'messaging');
  return { data: settings.data, env: (container?.env ?? []) as EnvEntry[] };
}

test('an external S3 endpoint: settings in the ConfigMap, keys from the existing Secret', () => {
  const { data, env } = messaging(external);
  assert.equal(data['S3_ENDPOINT'], 'https://s3.storage.example.com');
  assert.equal(data['S3_REGION'], 'eu-central-1');
  assert.equal(data['S3_BUCKET'], 'chat-files');
  assert.equal(data['S3_FORCE_PATH_STYLE'], 'true');
  assert.equal(data['ATTACHMENT_URL_TTL_SECONDS'], '900');
  assert.equal(data['ATTACHMENT_KEEP_UNSENT_SECONDS'], '86400');
  assert.equal(data['S3_ACCESS_KEY_ID'], undefined, 'no credential in a ConfigMap');
  assert.equal(data['S3_SECRET_ACCESS_KEY'], undefined, 'no credential in a ConfigMap');
  for (const [name, key] of [
    ['S3_ACCESS_KEY_ID', 'S3_ACCESS_KEY_ID'],
    ['S3_SECRET_ACCESS_KEY', 'S3_SECRET_ACCESS_KEY'],
  ]) {
    const entry = env.find((e) => e.name === name);
    assert.deepEqual(entry?.valueFrom, { secretKeyRef: { name: 'chat-s3', key } }, name);
  }
});

test('without a Secret: AWS S3 and the default credentials, no reference to a Secret', () => {
  const { data, env } = messaging([]);
  assert.equal(data['S3_ENDPOINT'], undefined);
  assert.equal(data['S3_BUCKET'], 'messenger-attachments');
  assert.equal(data['ATTACHMENT_UPLOAD_TTL_SECONDS'], '300');
  assert.ok(!env.some((e) => e.name.startsWith('S3_')));
});

test('the schema refuses a bucket name S3 would refuse and an endpoint that is no URL', () => {
  for (const bad of [
    'attachments.s3.bucket=Chat_Files',
    'attachments.s3.endpoint=s3.example.com',
  ]) {
    assert.throws(
      () => runHelm(templateArgs(scenarios()[0]!, ['--set', bad])),
      /schema|pattern/i,
      bad,
    );
  }
});
