// The operator section (off by default): ServiceAccount, a namespaced Role holding exactly the
// rules the operator's tests run it with, its Deployment on the restricted profile, and the
// release's MessengerPlatform.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { services } from '@messenger/contracts/services';
import { operatorRules } from '@messenger/operator/rbac';
import { typeCheck } from './lib/kube.ts';
import { parseObjects, RELEASE, runHelm, scenarios, templateArgs } from './lib/render.ts';

const on = parseObjects(
  runHelm(
    templateArgs(scenarios()[0]!, [
      '--set',
      'operator.enabled=true',
      '--set',
      'operator.platform.spec.services.messaging.autoscaling.minReplicas=2',
      '--set',
      'operator.platform.spec.services.messaging.autoscaling.maxReplicas=8',
      '--set',
      'operator.platform.spec.services.messaging.autoscaling.targetSocketsPerPod=2000',
    ]),
  ),
);
const find = (kind: string) =>
  on.find(
    (o) => o.kind === kind && o.metadata.labels?.['app.kubernetes.io/component'] === 'operator',
  ) as any;

test('off by default: no operator objects, no MessengerPlatform', () => {
  const off = parseObjects(runHelm(templateArgs(scenarios()[0]!)));
  assert.ok(!off.some((o) => o.metadata.labels?.['app.kubernetes.io/component'] === 'operator'));
  assert.ok(!off.some((o) => o.kind === 'MessengerPlatform'));
});

test('a namespaced Role with exactly the rules of services/operator/src/rbac.ts, bound to its ServiceAccount', () => {
  assert.ok(!on.some((o) => o.kind === 'ClusterRole' || o.kind === 'ClusterRoleBinding'));
  const role = find('Role');
  assert.deepEqual(
    JSON.parse(JSON.stringify(role.rules)),
    JSON.parse(JSON.stringify(operatorRules(`${RELEASE}-operator`))),
  );
  const binding = find('RoleBinding');
  assert.equal(binding.roleRef.name, role.metadata.name);
  assert.deepEqual(
    binding.subjects.map((s: any) => s.name),
    [find('ServiceAccount').metadata.name],
  );
});

test('the Deployment: restricted profile, its own token, leader election settings', () => {
  const pod = find('Deployment').spec.template.spec;
  assert.equal(pod.serviceAccountName, `${RELEASE}-operator`);
  assert.equal(pod.automountServiceAccountToken, true);
  assert.equal(pod.securityContext.runAsNonRoot, true);
  assert.equal(pod.securityContext.seccompProfile.type, 'RuntimeDefault');
  const container = pod.containers[0];
  assert.equal(container.securityContext.allowPrivilegeEscalation, false);
  assert.equal(container.securityContext.readOnlyRootFilesystem, true);
  assert.deepEqual(container.securityContext.capabilities.drop, ['ALL']);
  const env = Object.fromEntries(container.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
  assert.equal(env.LEASE_NAME, `${RELEASE}-operator`);
  assert.deepEqual(env.POD_NAME, { fieldRef: { fieldPath: 'metadata.name' } });
  assert.match(env.KAFKA_BROKERS, /kafka-0\./);
  assert.deepEqual(
    typeCheck(on.filter((o) => o.metadata.labels?.['app.kubernetes.io/component'] === 'operator')),
    [],
  );
});

test('the operator scaling messaging: no messaging replicas nor HPA from Helm; without it, both as before', () => {
  const messaging = on.find(
    (o) => o.kind === 'Deployment' && o.metadata.name === `${RELEASE}-messaging`,
  ) as any;
  assert.equal(messaging.spec.replicas, undefined);
  assert.ok(
    !on.some(
      (o) => o.kind === 'HorizontalPodAutoscaler' && o.metadata.name === `${RELEASE}-messaging`,
    ),
  );
  const off = parseObjects(
    runHelm(templateArgs(scenarios()[0]!, ['--set', 'operator.enabled=true'])),
  );
  // Without targetSocketsPerPod the chart's CPU HPA scales messaging, as before.
  assert.ok(
    off.some(
      (o) => o.kind === 'HorizontalPodAutoscaler' && o.metadata.name === `${RELEASE}-messaging`,
    ),
  );
});

test('the release MessengerPlatform: labelled with the release, spec from values', () => {
  const platform = on.find((o) => o.kind === 'MessengerPlatform') as any;
  assert.equal(platform.metadata.name, RELEASE);
  assert.equal(platform.metadata.labels['app.kubernetes.io/instance'], RELEASE);
  assert.equal(platform.spec.version, '0.1.0');
  assert.equal(platform.spec.services.messaging.autoscaling.targetSocketsPerPod, 2000);
});

const envOf = (container: any): Record<string, any> =>
  Object.fromEntries(container.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));

test('the operator owns the topics: the services only check them, the operator is a SCRAM user of its own', () => {
  const operator = envOf(find('Deployment').spec.template.spec.containers[0]);
  assert.equal(operator.KAFKA_SASL_USERNAME, 'operator');
  assert.equal(operator.KAFKA_SASL_MECHANISM, 'scram-sha-512');
  const password = operator.KAFKA_SASL_PASSWORD.secretKeyRef;
  const secret = on.find((o) => o.kind === 'Secret' && o.metadata.name === password.name) as any;
  assert.ok(password.key in (secret.data ?? secret.stringData), `${password.key} in the Secret`);
  const kafka = on.find((o) => o.kind === 'StatefulSet' && o.metadata.name === `${RELEASE}-kafka`);
  const broker = envOf((kafka as any).spec.template.spec.containers[0]);
  assert.match(broker.KAFKA_USERS, /\boperator\b/);
  assert.deepEqual(broker.KAFKA_PASSWORD_OPERATOR, { secretKeyRef: password });

  const configs = (objects: typeof on) =>
    objects.filter((o) => o.kind === 'ConfigMap' && (o as any).data?.KAFKA_BROKERS) as any[];
  assert.ok(configs(on).length >= 5);
  for (const config of configs(on)) assert.equal(config.data.KAFKA_CREATE_TOPICS, 'false');
  const off = parseObjects(runHelm(templateArgs(scenarios()[0]!)));
  for (const config of configs(off)) assert.equal(config.data.KAFKA_CREATE_TOPICS, undefined);
});

test('the operator calls session for signing keys; its NetworkPolicy lets it reach the API server', () => {
  const operator = envOf(find('Deployment').spec.template.spec.containers[0]);
  assert.equal(operator.SESSION_URL, `http://${RELEASE}-session:${services.session.port}`);
  const policy = find('NetworkPolicy');
  const api = policy.spec.egress.find((rule: any) => rule.to.some((peer: any) => peer.ipBlock));
  assert.deepEqual(
    api.ports.map((p: any) => p.port),
    [443, 6443],
  );
  const prometheus = parseObjects(
    runHelm(
      templateArgs(scenarios()[0]!, [
        '--set',
        'operator.enabled=true',
        '--set',
        'operator.socketMetrics=prometheus',
        '--set',
        'operator.prometheusUrl=http://prometheus.monitoring.svc:9091',
      ]),
    ),
  ).find(
    (o) =>
      o.kind === 'NetworkPolicy' &&
      o.metadata.labels?.['app.kubernetes.io/component'] === 'operator',
  ) as any;
  const ports = prometheus.spec.egress.flatMap((rule: any) => rule.ports.map((p: any) => p.port));
  assert.ok(ports.includes(9091), 'Prometheus at the port of operator.prometheusUrl');
  assert.ok(!ports.includes(services.messaging.port), 'no pod metrics without socketMetrics=pods');
});
