// The operator section (off by default): ServiceAccount, a namespaced Role holding exactly the
// rules the operator's tests run it with, its Deployment on the restricted profile, and the
// release's MessengerPlatform.
import assert from 'node:assert/strict';
import { test } from 'node:test';
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
