// helm lint --strict and helm template of every scenario; the values schema refuses unknown keys
// and wrong types; the chart packages with its CRD.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Buffer } from 'node:buffer';
import { test } from 'node:test';
import {
  chart,
  emptyObservabilityScenario,
  render,
  runHelm,
  scenarios,
  templateArgs,
} from './lib/render.ts';

const tmp = mkdtempSync(join(tmpdir(), 'messenger-values-'));

function valuesFile(name: string, text: string): string {
  const path = join(tmp, `${name}.yaml`);
  writeFileSync(path, text);
  return path;
}

function templateError(extra: string[]): string {
  try {
    runHelm(templateArgs(scenarios()[0]!, extra));
  } catch (error) {
    return (error as Error & { stderr: string }).stderr;
  }
  assert.fail(`helm template ${extra.join(' ')} succeeded`);
}

for (const scenario of scenarios()) {
  test(`${scenario.name}: helm lint --strict`, () => {
    const out = runHelm([
      'lint',
      '--strict',
      chart,
      ...(scenario.valuesFile ? ['-f', scenario.valuesFile] : []),
    ]);
    assert.match(out, /1 chart\(s\) linted, 0 chart\(s\) failed/);
  });
}

test('the ci/ scenarios: the five the issue names and the operator', () => {
  assert.deepEqual(
    scenarios().map((s) => s.name),
    ['default', 'external', 'minimal', 'no-ingress', 'observability', 'operator', 'production'],
  );
});

test('the schema refuses unknown keys at every level', () => {
  const cases: Record<string, string> = {
    top: 'replicaCount: 3\n',
    nested: 'ingress:\n  enabled: true\n  hosts: [a.example.com]\n',
    service: 'services:\n  gateway:\n    replica: 3\n',
    store: 'kafka:\n  enabled: true\n  replica: 3\n',
    peer: 'networkPolicy:\n  enabled: true\n  dns:\n    - podSelecter: {}\n',
    resources: 'redis:\n  enabled: true\n  resources:\n    requests: { cpu: 1, memroy: 1Gi }\n',
  };
  for (const [name, text] of Object.entries(cases)) {
    const stderr = templateError(['-f', valuesFile(`unknown-${name}`, text)]);
    assert.match(stderr, /additional propert/i, `${name}: ${stderr}`);
  }
});

test('the schema refuses wrong types and unsafe values', () => {
  const cases: Record<string, string> = {
    type: 'services:\n  gateway:\n    replicas: two\n',
    enum: 'logLevel: verbose\n',
    secretName: 'services:\n  auth:\n    env:\n      DB_PASSWORD: hunter2\n',
    credentialsInUrl: 'services:\n  auth:\n    env:\n      CACHE_URL: redis://user:pw@cache:6379\n',
    redisUrlWithPassword:
      'redis:\n  enabled: false\n  external:\n    url: redis://:pw@cache:6379\n',
  };
  for (const [name, text] of Object.entries(cases)) {
    const stderr = templateError(['-f', valuesFile(`bad-${name}`, text)]);
    assert.match(
      stderr,
      /values don't meet the specifications of the schema|schema/i,
      `${name}: ${stderr}`,
    );
  }
});

test('the templates refuse inconsistent settings with a clear message', () => {
  assert.match(
    templateError(['--set', 'services.gateway.terminationGracePeriodSeconds=10']),
    /terminationGracePeriodSeconds 10 must exceed/,
  );
  assert.match(
    templateError(['--set', 'postgresql.enabled=false']),
    /postgresql.external.existingSecret is required/,
  );
  assert.match(
    templateError(['--set', 'kafka.enabled=false']),
    /kafka.external.brokers is required/,
  );
  assert.match(
    templateError(['--set', 'mongodb.enabled=false']),
    /mongodb.external.existingSecret is required/,
  );
});

test('every object of values.schema.json closes its properties (additionalProperties)', () => {
  const schema = JSON.parse(readFileSync(join(chart, 'values.schema.json'), 'utf8'));
  const open: string[] = [];
  const walk = (node: any, path: string) => {
    if (!node || typeof node !== 'object') return;
    if (node.type === 'object' && node.additionalProperties === undefined) open.push(path);
    for (const [key, child] of Object.entries(node.properties ?? {})) walk(child, `${path}.${key}`);
    for (const [key, child] of Object.entries(node.definitions ?? {})) walk(child, `#${key}`);
    if (typeof node.additionalProperties === 'object') walk(node.additionalProperties, `${path}.*`);
    if (node.items) walk(node.items, `${path}[]`);
  };
  walk(schema, '');
  assert.deepEqual(open, []);
});

test('helm package holds the CRD, the files and the test pod, not these TypeScript tests', () => {
  const out = mkdtempSync(join(tmpdir(), 'messenger-package-'));
  runHelm(['package', chart, '--destination', out]);
  const listing = execFileSync('tar', ['tzf', join(out, 'messenger-0.1.0.tgz')], {
    encoding: 'utf8',
  }).split('\n');
  for (const path of [
    'messenger/crds/messengerplatforms.platform.messenger.dev.yaml',
    'messenger/values.schema.json',
    'messenger/templates/tests/test-contract.yaml',
    'messenger/ci/production-values.yaml',
  ]) {
    assert.ok(listing.includes(path), path);
  }
  assert.ok(!listing.some((path) => path.endsWith('.ts')), 'no .ts in the package');
});

test('observability on with empty dashboards and rules folders renders neither', () => {
  const objects = render(emptyObservabilityScenario());
  assert.ok(objects.some((o) => o.kind === 'ServiceMonitor'));
  assert.equal(objects.filter((o) => o.kind === 'PrometheusRule').length, 0);
  assert.equal(objects.filter((o) => o.metadata.labels?.['grafana_dashboard'] === '1').length, 0);
});

test('Kafka (KRaft): a stable valid cluster id, one voter per pod, replication that fits', () => {
  for (const name of ['default', 'production']) {
    const scenario = scenarios().find((s) => s.name === name)!;
    const objects = render(scenario);
    const sts = objects.find(
      (o) => o.kind === 'StatefulSet' && o.metadata.name.endsWith('-kafka'),
    ) as any;
    const env = Object.fromEntries(
      sts.spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value]),
    );
    assert.match(env.KAFKA_CLUSTER_ID, /^[A-Za-z0-9_-]{22}$/);
    assert.equal(Buffer.from(env.KAFKA_CLUSTER_ID, 'base64url').length, 16);
    assert.equal(env.KAFKA_VOTERS.split(',').length, sts.spec.replicas);
    const props = (
      objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name.endsWith('-kafka')) as any
    ).data['server.properties'];
    const rf = Math.min(3, sts.spec.replicas);
    assert.match(props, new RegExp(`^default.replication.factor=${rf}$`, 'm'));
    assert.match(props, /^auto.create.topics.enable=false$/m);
    const again = runHelm(templateArgs(scenario, ['--show-only', 'templates/kafka.yaml']));
    assert.ok(again.includes(env.KAFKA_CLUSTER_ID), 'the same id on every render (upgrades)');
  }
});
