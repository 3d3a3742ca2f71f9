// Optional exporters of the bundled servers: off by default; when on, pinned images, the
// store's credentials by reference, a metrics Service, a ServiceMonitor with monitoring, and
// Prometheus (only) let in on the exporter's port.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  parseObjects,
  podTemplates,
  render,
  RELEASE,
  runHelm,
  scenarios,
  templateArgs,
  type K8sObject,
} from './lib/render.ts';

const COMPONENT = 'app.kubernetes.io/component';
const PORTS = { postgresql: 9187, redis: 9121, kafka: 9308, mongodb: 9216 } as const;
const STORES = Object.keys(PORTS) as (keyof typeof PORTS)[];
const observability = render(scenarios().find((s) => s.name === 'observability')!);

function exporterOf(objects: K8sObject[], store: keyof typeof PORTS): any {
  const component = store === 'kafka' ? 'kafka-exporter' : store;
  const pod = podTemplates(objects).find((p) => p.labels[COMPONENT] === component);
  return pod?.spec.containers.find((c: any) => c.name === 'metrics');
}

test('exporters are off by default', () => {
  const objects = render(scenarios().find((s) => s.name === 'default')!);
  for (const store of STORES) assert.equal(exporterOf(objects, store), undefined, store);
  assert.ok(!objects.some((o) => o.metadata.name.endsWith('-metrics')));
});

for (const store of STORES) {
  test(`${store} exporter: pinned image, port, Service, ServiceMonitor, Prometheus-only ingress`, () => {
    const container = exporterOf(observability, store);
    assert.ok(container, `${store}: exporter container`);
    assert.match(container.image, /:[\w.-]+$/, 'a pinned tag');
    assert.doesNotMatch(container.image, /:latest$/);
    assert.equal(container.ports[0].containerPort, PORTS[store]);
    const service = observability.find(
      (o: any) => o.kind === 'Service' && o.metadata.name === `${RELEASE}-${store}-metrics`,
    ) as any;
    assert.equal(service.spec.ports[0].port, PORTS[store]);
    const monitor = observability.find(
      (o: any) => o.kind === 'ServiceMonitor' && o.metadata.name === `${RELEASE}-${store}`,
    ) as any;
    assert.equal(monitor.spec.selector.matchLabels['messenger.dev/metrics'], store);
    assert.equal(service.metadata.labels['messenger.dev/metrics'], store);
    assert.equal(monitor.metadata.labels.release, 'kube-prometheus-stack');
    assert.equal(monitor.spec.endpoints[0].relabelings[0].replacement, store);
    // No secret value in the pod spec: every credential is a secretKeyRef.
    for (const env of container.env ?? []) {
      if (/PASS/.test(env.name)) assert.ok(env.valueFrom?.secretKeyRef, `${store}: ${env.name}`);
    }
    const policies = observability.filter((o) => o.kind === 'NetworkPolicy') as any[];
    const component = store === 'kafka' ? 'kafka-exporter' : store;
    const own = policies.find((p) => p.spec.podSelector.matchLabels[COMPONENT] === component);
    const scrape = own.spec.ingress.filter((r: any) =>
      r.ports.some((p: any) => p.port === PORTS[store]),
    );
    assert.equal(scrape.length, 1, `${store}: one ingress rule for the exporter port`);
    assert.equal(
      scrape[0].from[0].namespaceSelector.matchLabels['kubernetes.io/metadata.name'],
      'monitoring',
    );
  });
}

test('exporters authenticate with the stores credentials from their Secrets', () => {
  const env = (store: keyof typeof PORTS) =>
    Object.fromEntries(
      (exporterOf(observability, store).env ?? []).map((e: any) => [
        e.name,
        e.value ?? `${e.valueFrom.secretKeyRef.name}/${e.valueFrom.secretKeyRef.key}`,
      ]),
    );
  assert.deepEqual(env('redis'), {
    REDIS_ADDR: 'redis://127.0.0.1:6379',
    REDIS_PASSWORD: `${RELEASE}-redis-auth/REDIS_PASSWORD`,
  });
  assert.equal(env('postgresql').DATA_SOURCE_PASS, `${RELEASE}-postgresql-auth/POSTGRES_PASSWORD`);
  assert.equal(env('mongodb').MONGODB_PASSWORD, `${RELEASE}-mongodb-auth/MONGODB_ROOT_PASSWORD`);
  assert.equal(env('kafka').KAFKA_SASL_PASSWORD, `${RELEASE}-kafka-auth/EXPORTER_PASSWORD`);
  const kafka = exporterOf(observability, 'kafka');
  assert.ok(kafka.args.includes('--sasl.mechanism=scram-sha512'));
  assert.ok(kafka.args.includes('--sasl.password=$(KAFKA_SASL_PASSWORD)'));
  // The brokers know the exporter's SCRAM user; the generated Secret has its password.
  const broker = podTemplates(observability).find((p) => p.labels[COMPONENT] === 'kafka')!;
  const users = broker.spec.containers[0].env.find((e: any) => e.name === 'KAFKA_USERS').value;
  assert.match(users, /\bexporter\b/);
  const secret = observability.find(
    (o: any) => o.kind === 'Secret' && o.metadata.name === `${RELEASE}-kafka-auth`,
  ) as any;
  assert.ok(secret.data.EXPORTER_PASSWORD);
});

test('without store authentication the exporters connect without credentials', () => {
  const objects = parseObjects(
    runHelm(
      templateArgs(
        scenarios().find((s) => s.name === 'observability')!,
        ['--set', 'redis.auth.enabled=false,mongodb.auth.enabled=false,kafka.auth.enabled=false'],
      ),
    ),
  );
  assert.equal(exporterOf(objects, 'redis').env.length, 1);
  assert.equal(exporterOf(objects, 'mongodb').env.length, 1);
  assert.ok(!exporterOf(objects, 'kafka').args.some((a: string) => a.startsWith('--sasl')));
});
