// Leader election on a coordination.k8s.io Lease of the real API server: of two operator
// processes only one acts; when it stops (gracefully, or killed) the other takes over.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { connectKube, FIELD_MANAGER } from './kube.js';
import { GROUP, KIND, PLURAL, VERSION, type MessengerPlatform } from './spec.js';
import {
  controlPlane,
  createNamespace,
  createPlatform,
  deleteNamespace,
  eventually,
  getPlatform,
  installCrd,
  KAFKA_BROKERS,
  sleep,
  uniqueName,
} from '@messenger/testkit/operator/control-plane';
import {
  isLeader,
  startOperator,
  type OperatorProcess,
} from '@messenger/testkit/operator/operator-process';

const kube = connectKube(controlPlane());
const namespace = uniqueName('op-leader');
const lease = 'messenger-operator';
const operators: OperatorProcess[] = [];

async function holder(): Promise<string | undefined> {
  const current = await kube.coordination.readNamespacedLease({ name: lease, namespace });
  return current.spec?.holderIdentity || undefined;
}

async function reporters(): Promise<Set<string>> {
  const events = await kube.core.listNamespacedEvent({
    namespace,
    fieldSelector: `involvedObject.kind=${KIND}`,
  });
  return new Set(events.items.map((event) => event.reportingInstance ?? ''));
}

async function setBrokers(name: string, brokers: string): Promise<void> {
  await kube.custom.patchNamespacedCustomObject({
    group: GROUP,
    version: VERSION,
    namespace,
    plural: PLURAL,
    name,
    body: [{ op: 'replace', path: '/spec/external/kafka/brokers', value: [brokers] }],
  });
}

before(async () => {
  await installCrd(kube.config);
  await createNamespace(kube, namespace);
  const env = { WATCH_NAMESPACE: namespace, LEASE_NAME: lease, KAFKA_BROKERS };
  operators.push(await startOperator({ ...env, POD_NAME: 'operator-a' }));
  operators.push(await startOperator({ ...env, POD_NAME: 'operator-b' }));
});

after(async () => {
  for (const operator of operators) await operator.stop('SIGKILL');
  await deleteNamespace(kube, namespace);
});

test('two operators: exactly one holds the Lease and acts', async () => {
  const leader = await eventually('a Lease holder', holder);
  await sleep(2_000); // a few renew periods: the other must stay a follower
  const flags = await Promise.all(operators.map(isLeader));
  assert.deepEqual(flags.filter(Boolean).length, 1);
  assert.equal(operators[flags.indexOf(true)]?.identity, leader);
  assert.equal(await holder(), leader);

  await createPlatform(kube, namespace, 'messenger', {
    version: '0.1.0',
    external: { kafka: { brokers: ['127.0.0.1:1'] } },
  });
  await eventually(
    'a status',
    async () => (await getPlatform<MessengerPlatform>(kube, namespace, 'messenger')).status?.phase,
  );
  const platform = await getPlatform<MessengerPlatform>(kube, namespace, 'messenger');
  const statusManagers = (
    platform as { metadata?: { managedFields?: { manager?: string; subresource?: string }[] } }
  ).metadata?.managedFields
    ?.filter((entry) => entry.subresource === 'status')
    .map((entry) => entry.manager);
  assert.deepEqual(statusManagers, [FIELD_MANAGER]);
  await eventually('events', async () => (await reporters()).size > 0);
  assert.deepEqual([...(await reporters())], [leader]);
});

test('the follower takes over when the leader stops, and when a leader is killed', async (t) => {
  const first = await eventually('a Lease holder', holder);
  const leader = operators.find((operator) => operator.identity === first);
  const follower = operators.find((operator) => operator.identity !== first);
  assert.ok(leader && follower);

  // Graceful stop: the Lease is handed back, the follower leads within a couple of retries.
  const stopped = Date.now();
  await leader.stop('SIGTERM');
  await eventually('the follower to lead', () => isLeader(follower), 10_000);
  assert.equal(await holder(), follower.identity);
  const handover = Date.now() - stopped;

  // It acts: a spec change is reconciled and reported by the new leader.
  await setBrokers('messenger', KAFKA_BROKERS); // Degraded -> Ready: a transition, so an Event
  await eventually('an event from the new leader', async () =>
    (await reporters()).has(follower.identity),
  );

  // A third replica joins; then the leader is killed (no release): it waits out the lease.
  const third = await startOperator({
    WATCH_NAMESPACE: namespace,
    LEASE_NAME: lease,
    KAFKA_BROKERS,
    POD_NAME: 'operator-c',
  });
  operators.push(third);
  await sleep(1_500);
  assert.equal(await isLeader(third), false);
  const killed = Date.now();
  await follower.stop('SIGKILL');
  await eventually('the third to lead', () => isLeader(third), 15_000);
  const takeover = Date.now() - killed;
  assert.ok(takeover >= 2_500, `took over after ${takeover} ms, before the 4 s lease ran out`);
  assert.equal(await holder(), third.identity);
  const current = await kube.coordination.readNamespacedLease({ name: lease, namespace });
  assert.ok((current.spec?.leaseTransitions ?? 0) >= 2);
  t.diagnostic(`handover after SIGTERM ${handover} ms, takeover after SIGKILL ${takeover} ms`);
});
