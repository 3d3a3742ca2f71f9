// Trace export to a collector (or Jaeger) in the cluster: with otel.endpoint every service is
// configured to export, sample and name its namespace; without it none exports.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { NAMESPACE, parseObjects, runHelm, scenarios, templateArgs } from './lib/render.ts';

const SERVICES = ['auth', 'contact', 'gateway', 'messaging', 'profile', 'search', 'session'];
const dir = mkdtempSync(join(tmpdir(), 'messenger-otel-'));

function valuesFile(name: string, text: string): string {
  const path = join(dir, `${name}.yaml`);
  writeFileSync(path, text);
  return path;
}

/** The settings ConfigMap of each service, by OTEL_SERVICE_NAME. */
function serviceSettings(extra: string[]): Map<string, Record<string, string>> {
  const objects = parseObjects(runHelm(templateArgs(scenarios()[0]!, extra)));
  const settings = new Map<string, Record<string, string>>();
  for (const object of objects) {
    const data = (object as { data?: Record<string, string> }).data;
    if (object.kind === 'ConfigMap' && data?.['OTEL_SERVICE_NAME'])
      settings.set(data['OTEL_SERVICE_NAME'], data);
  }
  return settings;
}

test('otel.endpoint: every service exports there, sampled and named by namespace', () => {
  const file = valuesFile(
    'export',
    [
      'otel:',
      '  endpoint: http://jaeger-collector.tracing.svc:4318',
      '  sampleRatio: 0.25',
      '  resourceAttributes: { deployment.environment.name: production }',
    ].join('\n'),
  );
  const settings = serviceSettings(['-f', file]);
  assert.deepEqual([...settings.keys()].sort(), SERVICES);
  for (const [service, data] of settings) {
    assert.equal(
      data['OTEL_EXPORTER_OTLP_ENDPOINT'],
      'http://jaeger-collector.tracing.svc:4318',
      service,
    );
    assert.equal(data['OTEL_TRACES_SAMPLER'], 'parentbased_traceidratio', service);
    assert.equal(data['OTEL_TRACES_SAMPLER_ARG'], '0.25', service);
    assert.equal(
      data['OTEL_RESOURCE_ATTRIBUTES'],
      `k8s.namespace.name=${NAMESPACE},deployment.environment.name=production`,
      service,
    );
  }
});

test('without otel.endpoint no service exports or samples', () => {
  const settings = serviceSettings([]);
  assert.deepEqual([...settings.keys()].sort(), SERVICES);
  for (const [service, data] of settings) {
    const otel = Object.keys(data).filter(
      (k) => k.startsWith('OTEL_') && k !== 'OTEL_SERVICE_NAME',
    );
    assert.deepEqual(otel, [], service);
  }
});

test('the schema refuses a ratio outside 0..1 and an attribute OTEL_RESOURCE_ATTRIBUTES cannot carry', () => {
  const cases: [string, string, RegExp][] = [
    ['ratio', 'otel:\n  endpoint: http://c:4318\n  sampleRatio: 1.5\n', /sampleRatio/],
    ['comma', 'otel:\n  endpoint: http://c:4318\n  resourceAttributes: { team: "a,b" }\n', /team/],
    ['name', 'otel:\n  endpoint: http://c:4318\n  resourceAttributes: { "a b": x }\n', /'a b'/],
  ];
  for (const [name, text, names] of cases) {
    assert.throws(
      () => runHelm(templateArgs(scenarios()[0]!, ['-f', valuesFile(name, text)])),
      (error: Error & { stderr?: string }) => {
        const message = error.stderr ?? error.message;
        return /don't meet the specifications of the schema/.test(message) && names.test(message);
      },
      name,
    );
  }
});
