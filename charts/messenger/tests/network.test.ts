// The NetworkPolicies allow exactly the flows DESIGN.md draws between the pods of the release:
// evaluated as Kubernetes would (a connection needs the sender's egress and the receiver's
// ingress), over every pair of workloads and every container port.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { services } from '@messenger/contracts/services';
import { matches, podTemplates, render, scenarios, type K8sObject } from './lib/render.ts';

const COMPONENT = 'app.kubernetes.io/component';

/** "src -> dst:port" for the default install, from DESIGN.md and the services list. */
function expectedFlows(stores: Set<string>, kafkaExporter = false, operator = false): string[] {
  const port: Record<string, number[]> = {
    gateway: [services.gateway.port],
    auth: [services.auth.port],
    session: [services.session.port],
    profile: [services.profile.port],
    contact: [services.contact.port],
    messaging: [services.messaging.port],
    search: [services.search.port],
    postgresql: [5432],
    redis: [6379],
    kafka: [9092],
    mongodb: [27017],
  };
  const calls: Record<string, string[]> = {
    gateway: ['auth', 'session', 'profile', 'contact', 'messaging', 'search', 'redis'],
    auth: ['session', 'profile', 'postgresql', 'redis', 'kafka'],
    session: ['postgresql', 'redis', 'kafka'],
    // profile, contact and messaging verify tokens with the session's JWKS
    profile: ['session', 'postgresql', 'redis', 'kafka'],
    contact: ['session', 'profile', 'postgresql', 'redis', 'kafka'],
    messaging: ['session', 'contact', 'mongodb', 'redis', 'kafka'],
    search: ['session', 'postgresql', 'redis', 'kafka'],
    test: ['gateway'],
  };
  const flows = Object.entries(calls).flatMap(([from, tos]) =>
    tos
      .filter(
        (to) =>
          !(to in port) ||
          !['postgresql', 'redis', 'kafka', 'mongodb'].includes(to) ||
          stores.has(to),
      )
      .flatMap((to) => port[to]!.map((p) => `${from} -> ${to}:${p}`)),
  );
  if (stores.has('kafka'))
    flows.push('kafka -> kafka:9092', 'kafka -> kafka:9093', 'kafka -> kafka:9094');
  if (stores.has('mongodb')) flows.push('mongodb -> mongodb:27017');
  // The kafka exporter Deployment is a client of the brokers; the sidecar exporters of the
  // other stores take no connection from a pod of the release (Prometheus only).
  if (kafkaExporter) flows.push('kafka-exporter -> kafka:9092');
  // The operator: session's signing keys, messaging pods' socket counts, the topics.
  if (operator) {
    flows.push(`operator -> session:${services.session.port}`);
    flows.push(`operator -> messaging:${services.messaging.port}`);
    if (stores.has('kafka')) flows.push('operator -> kafka:9092');
  }
  return flows.sort();
}

type Peer = {
  podSelector?: { matchLabels?: Record<string, string> };
  namespaceSelector?: unknown;
  ipBlock?: unknown;
};
type Rule = { peers?: Peer[]; ports?: { port: number }[] };

function allows(rules: Rule[], labels: Record<string, string>, port: number): boolean {
  return rules.some(
    (rule) =>
      (rule.ports === undefined || rule.ports.some((p) => p.port === port)) &&
      (rule.peers === undefined ||
        rule.peers.some(
          (peer) =>
            !peer.namespaceSelector &&
            !peer.ipBlock &&
            matches(peer.podSelector?.matchLabels, labels),
        )),
  );
}

function actualFlows(objects: K8sObject[]): string[] {
  const pods = podTemplates(objects);
  const policies = objects.filter((o) => o.kind === 'NetworkPolicy') as any[];
  const selecting = (labels: Record<string, string>, type: string) =>
    policies.filter(
      (p) => p.spec.policyTypes.includes(type) && matches(p.spec.podSelector.matchLabels, labels),
    );
  const flows = new Set<string>();
  for (const src of pods) {
    const egress: Rule[] = selecting(src.labels, 'Egress').flatMap((p) =>
      (p.spec.egress ?? []).map((r: any) => ({ peers: r.to, ports: r.ports })),
    );
    for (const dst of pods) {
      const ingress: Rule[] = selecting(dst.labels, 'Ingress').flatMap((p) =>
        (p.spec.ingress ?? []).map((r: any) => ({ peers: r.from, ports: r.ports })),
      );
      const ports = dst.spec.containers.flatMap((c: any) =>
        (c.ports ?? []).map((p: any) => p.containerPort as number),
      );
      for (const port of ports) {
        if (allows(egress, dst.labels, port) && allows(ingress, src.labels, port)) {
          flows.add(`${src.labels[COMPONENT]} -> ${dst.labels[COMPONENT]}:${port}`);
        }
      }
    }
  }
  return [...flows].sort();
}

for (const name of ['default', 'external', 'production', 'observability', 'operator']) {
  const scenario = scenarios().find((s) => s.name === name)!;
  const objects = render(scenario);
  const stores = new Set(
    objects
      .filter((o) => o.kind === 'StatefulSet')
      .map((o: any) => o.spec.template.metadata.labels[COMPONENT] as string),
  );

  test(`${name}: NetworkPolicies allow exactly the designed flows between pods`, () => {
    const kafkaExporter = objects.some(
      (o) => o.kind === 'Deployment' && o.metadata.labels?.[COMPONENT] === 'kafka-exporter',
    );
    const operator = objects.some(
      (o) => o.kind === 'Deployment' && o.metadata.labels?.[COMPONENT] === 'operator',
    );
    assert.deepEqual(actualFlows(objects), expectedFlows(stores, kafkaExporter, operator));
  });

  test(`${name}: ingress controller -> gateway, Prometheus -> every service, DNS for every pod`, () => {
    const policies = objects.filter((o) => o.kind === 'NetworkPolicy') as any[];
    const ownPolicy = (component: string) =>
      policies.find((p) => p.spec.podSelector.matchLabels[COMPONENT] === component);
    const fromNamespace = (policy: any, ns: string) =>
      policy.spec.ingress.some((r: any) =>
        r.from.some(
          (f: any) => f.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === ns,
        ),
      );
    assert.ok(fromNamespace(ownPolicy('gateway'), 'ingress-nginx'));
    for (const component of [
      'gateway',
      'auth',
      'session',
      'profile',
      'contact',
      'messaging',
      'search',
    ]) {
      assert.ok(fromNamespace(ownPolicy(component), 'monitoring'), `${component}: /metrics`);
    }
    for (const pod of podTemplates(objects)) {
      const dns = policies.some(
        (p) =>
          matches(p.spec.podSelector.matchLabels, pod.labels) &&
          (p.spec.egress ?? []).some((r: any) =>
            r.ports?.some((port: any) => port.port === 53 && port.protocol === 'UDP'),
          ),
      );
      assert.ok(dns, `${pod.labels[COMPONENT]}: DNS`);
    }
  });
}

test('external: the services reach the external servers through networkPolicy.extraEgress', () => {
  const objects = render(scenarios().find((s) => s.name === 'external')!);
  const auth = objects.find(
    (o: any) => o.kind === 'NetworkPolicy' && o.spec.podSelector.matchLabels[COMPONENT] === 'auth',
  ) as any;
  assert.ok(
    auth.spec.egress.some(
      (r: any) =>
        r.to?.[0]?.ipBlock?.cidr === '10.20.0.0/16' && r.ports.some((p: any) => p.port === 5432),
    ),
  );
});

test('observability: services may reach the OTLP collector only', () => {
  const objects = render(scenarios().find((s) => s.name === 'observability')!);
  const messaging = objects.find(
    (o: any) =>
      o.kind === 'NetworkPolicy' && o.spec.podSelector.matchLabels[COMPONENT] === 'messaging',
  ) as any;
  const otlp = messaging.spec.egress.find((r: any) => r.ports.some((p: any) => p.port === 4318));
  assert.equal(
    otlp.to[0].namespaceSelector.matchLabels['kubernetes.io/metadata.name'],
    'observability',
  );
});
