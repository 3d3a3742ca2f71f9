// global.imageRegistry and global.imagePullSecrets reach every pod and image, image digests pin
// images, and the chart works as the subchart of an umbrella chart that sets globals.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  chart,
  id,
  parseObjects,
  podTemplates,
  runHelm,
  scenarios,
  templateArgs,
  type K8sObject,
} from './lib/render.ts';

const REGISTRY = 'mirror.example.com:5000';
const DIGEST = `sha256:${'ab'.repeat(32)}`;

/** Problems: images outside the registry, pods without every pull secret. */
function globalProblems(objects: K8sObject[], registry: string, secrets: string[]): string[] {
  const problems: string[] = [];
  const pods = podTemplates(objects);
  if (pods.length < 10) problems.push(`only ${pods.length} pods`);
  for (const pod of pods) {
    const names = (pod.spec.imagePullSecrets ?? []).map((s: { name: string }) => s.name);
    for (const secret of secrets)
      if (!names.includes(secret)) problems.push(`${id(pod.owner)}: no pull secret ${secret}`);
    for (const c of [...(pod.spec.initContainers ?? []), ...pod.spec.containers]) {
      if (!String(c.image).startsWith(`${registry}/`))
        problems.push(`${id(pod.owner)}/${c.name}: ${c.image}`);
    }
  }
  return problems;
}

test('global.imageRegistry and global.imagePullSecrets apply to every image and pod', () => {
  for (const scenario of scenarios().filter((s) => ['default', 'production'].includes(s.name))) {
    const objects = parseObjects(
      runHelm(
        templateArgs(scenario, [
          '--set',
          `global.imageRegistry=${REGISTRY}`,
          '--set',
          'global.imagePullSecrets[0]=mirror-credentials',
          '--set',
          'global.imagePullSecrets[1].name=other-credentials',
          '--set',
          'global.somethingOfTheParent=true',
        ]),
      ),
    );
    const secrets = ['mirror-credentials', 'other-credentials'];
    if (scenario.name === 'production') secrets.push('registry-credentials');
    assert.deepEqual(globalProblems(objects, REGISTRY, secrets), [], scenario.name);
  }
});

test('image digests pin the service and store images', () => {
  const objects = parseObjects(
    runHelm(
      templateArgs(scenarios()[0]!, [
        '--set',
        `services.messaging.imageDigest=${DIGEST}`,
        '--set',
        `redis.imageDigest=${DIGEST}`,
      ]),
    ),
  );
  const images = podTemplates(objects).flatMap((p) => p.spec.containers.map((c: any) => c.image));
  assert.ok(images.includes(`ghcr.io/messenger/messaging:0.1.0@${DIGEST}`), images.join(' '));
  assert.ok(images.includes(`docker.io/library/redis:7.4.5-bookworm@${DIGEST}`));
  assert.ok(images.includes('ghcr.io/messenger/gateway:0.1.0'), 'others keep their tag only');
});

test('an umbrella chart depending on this one (file://) with globals lints and renders', () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'messenger-umbrella-')), 'platform');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'Chart.yaml'),
    [
      'apiVersion: v2',
      'name: platform',
      'description: An umbrella chart of a platform team',
      'version: 1.0.0',
      'dependencies:',
      '  - name: messenger',
      '    version: 0.1.0',
      `    repository: file://${chart}`,
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'values.yaml'),
    [
      'global:',
      `  imageRegistry: ${REGISTRY}`,
      '  imagePullSecrets: [mirror-credentials]',
      '  storageClass: fast',
      '  otherTeamSetting: { nested: true }',
      'messenger:',
      '  ingress:',
      '    host: chat.example.com',
      '',
    ].join('\n'),
  );
  mkdirSync(join(dir, 'templates'));
  writeFileSync(
    join(dir, 'templates', 'team.yaml'),
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-team\ndata:\n  registry: {{ .Values.global.imageRegistry | quote }}\n',
  );
  runHelm(['dependency', 'build', dir]);
  const lint = runHelm(['lint', '--strict', dir]);
  assert.match(lint, /1 chart\(s\) linted, 0 chart\(s\) failed/);
  const objects = parseObjects(runHelm(['template', 'chat', dir, '--namespace', 'messenger']));
  assert.ok(objects.some((o) => o.kind === 'Deployment' && o.metadata.name === 'chat-gateway'));
  assert.deepEqual(globalProblems(objects, REGISTRY, ['mirror-credentials']), []);
  const ingress = objects.find((o) => o.kind === 'Ingress') as any;
  assert.equal(ingress.spec.rules[0].host, 'chat.example.com');
});
