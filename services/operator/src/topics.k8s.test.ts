// The operator as a process against the real kube-apiserver and the local stack's real Kafka:
// a MessengerPlatform's topics are created, grown, corrected, and reported in its status.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ConfigResourceTypes, Kafka, logLevel, type Admin } from 'kafkajs';
import { allTopics } from '@messenger/contracts';
import { applyPatch, connectKube } from './kube.js';
import {
  API_VERSION,
  GROUP,
  KIND,
  PLURAL,
  VERSION,
  type TopicEntry,
  type MessengerPlatform,
} from './spec.js';
import {
  condition,
  controlPlane,
  createNamespace,
  deleteNamespace,
  eventually,
  getPlatform,
  installCrd,
  KAFKA_BROKERS,
  sleep,
  uniqueName,
} from '@messenger/testkit/operator/control-plane';
import { startOperator, type OperatorProcess } from '@messenger/testkit/operator/operator-process';

const kube = connectKube(controlPlane());
const namespace = uniqueName('op-topics');
const prefix = `${uniqueName('optest')}.`;
const name = 'messenger';
let operator: OperatorProcess;
let kafka: Admin;

async function applySpec(topics: TopicEntry[], brokers = [KAFKA_BROKERS]): Promise<void> {
  await kube.custom.patchNamespacedCustomObject(
    {
      group: GROUP,
      version: VERSION,
      namespace,
      plural: PLURAL,
      name,
      fieldManager: 'tests',
      force: true,
      body: {
        apiVersion: API_VERSION,
        kind: KIND,
        metadata: { name, namespace },
        spec: { version: '0.1.0', kafka: { topics }, external: { kafka: { brokers } } },
      },
    },
    applyPatch,
  );
}

async function partitions(topic: string): Promise<number | undefined> {
  const metadata = await kafka.fetchTopicMetadata({ topics: [topic] });
  return metadata.topics[0]?.partitions.length;
}

async function topicConfig(topic: string, key: string): Promise<string | undefined> {
  const described = await kafka.describeConfigs({
    includeSynonyms: false,
    resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: [key] }],
  });
  return described.resources[0]?.configEntries.find((e) => e.configName === key)?.configValue;
}

async function waitForPhase(phase: string, what: string, timeoutMs = 30_000) {
  return eventually(
    what,
    async () => {
      const platform = await getPlatform<MessengerPlatform>(kube, namespace, name);
      return platform.status?.phase === phase &&
        platform.status.observedGeneration === platform.metadata?.generation
        ? platform
        : undefined;
    },
    timeoutMs,
  );
}

before(async () => {
  await installCrd(kube.config);
  await createNamespace(kube, namespace);
  kafka = new Kafka({
    clientId: 'operator-tests',
    brokers: KAFKA_BROKERS.split(','),
    logLevel: logLevel.NOTHING,
  }).admin();
  await kafka.connect();
  operator = await startOperator({ WATCH_NAMESPACE: namespace, LEASE_NAME: 'operator' });
});

after(async () => {
  await operator.stop();
  const mine = (await kafka.listTopics()).filter((topic) => topic.startsWith(prefix));
  if (mine.length > 0) await kafka.deleteTopics({ topics: mine });
  await kafka.disconnect();
  await deleteNamespace(kube, namespace);
});

test('creating a MessengerPlatform creates its topics and reports them Ready', async () => {
  const orders = `${prefix}orders`;
  await applySpec([{ name: orders, partitions: 2, retentionMs: 3_600_000 }]);
  const platform = await waitForPhase('Ready', 'the platform to be Ready');
  assert.equal(condition(platform, 'Ready')?.status, 'True');
  assert.equal(condition(platform, 'Degraded')?.status, 'False');
  assert.ok(platform.status?.topics?.includes(orders));
  for (const topic of allTopics) assert.ok(platform.status?.topics?.includes(topic.name));
  assert.equal(await partitions(orders), 2);
  assert.equal(await topicConfig(orders, 'retention.ms'), '3600000');
});

test('raising partitions in the spec raises them in Kafka; a config drift is set back', async () => {
  const orders = `${prefix}orders`;
  await applySpec([{ name: orders, partitions: 5, retentionMs: 3_600_000 }]);
  await eventually('5 partitions in Kafka', async () => (await partitions(orders)) === 5);
  await kafka.alterConfigs({
    validateOnly: false,
    resources: [
      {
        type: ConfigResourceTypes.TOPIC,
        name: orders,
        configEntries: [{ name: 'retention.ms', value: '1000' }],
      },
    ],
  });
  await eventually(
    'retention.ms set back',
    async () => (await topicConfig(orders, 'retention.ms')) === '3600000',
  );
  // Lowering partitions in the spec is refused and reported; Kafka keeps five.
  await applySpec([{ name: orders, partitions: 3, retentionMs: 3_600_000 }]);
  const degraded = await waitForPhase('Degraded', 'Degraded for shrinking partitions');
  assert.equal(condition(degraded, 'Degraded')?.reason, 'PartitionsCannotShrink');
  assert.equal(await partitions(orders), 5);
  await applySpec([{ name: orders, partitions: 5, retentionMs: 3_600_000 }]);
  await waitForPhase('Ready', 'Ready again');
});

test('a topic with more replicas than brokers is Degraded with the reason, and recovers when fixed', async () => {
  const orders = `${prefix}orders`;
  const wide = `${prefix}wide`;
  await applySpec([
    { name: orders, partitions: 5, retentionMs: 3_600_000 },
    { name: wide, partitions: 1, replicationFactor: 3 },
  ]);
  const platform = await waitForPhase('Degraded', 'the platform to be Degraded');
  const degraded = condition(platform, 'Degraded');
  assert.equal(degraded?.reason, 'TopicNotReconciled');
  assert.match(degraded.message, new RegExp(`create topic ${wide.replace(/\./g, '\\.')}`));
  assert.match(degraded.message, /replication factor 3, 1 brokers.*INVALID_REPLICATION_FACTOR/);
  assert.equal(condition(platform, 'Ready')?.status, 'False');
  assert.ok(!platform.status?.topics?.includes(wide));

  await applySpec([
    { name: orders, partitions: 5, retentionMs: 3_600_000 },
    { name: wide, partitions: 1, replicationFactor: 1 },
  ]);
  const fixed = await waitForPhase('Ready', 'Ready once fixed');
  assert.ok(fixed.status?.topics?.includes(wide));
  assert.equal(await partitions(wide), 1);

  const events = await kube.core.listNamespacedEvent({
    namespace,
    fieldSelector: `involvedObject.name=${name},involvedObject.kind=${KIND}`,
  });
  const reasons = events.items.map((event) => `${event.type ?? ''}/${event.reason ?? ''}`);
  assert.ok(reasons.includes('Warning/TopicNotReconciled'), reasons.join(' '));
  assert.ok(reasons.includes('Normal/Ready'), reasons.join(' '));
});

test('Kafka unreachable turns the status Degraded within 30 s, and Ready when it answers again', async () => {
  const orders = `${prefix}orders`;
  const wide = `${prefix}wide`;
  const topics = [
    { name: orders, partitions: 5, retentionMs: 3_600_000 },
    { name: wide, partitions: 1, replicationFactor: 1 },
  ];
  const started = Date.now();
  await applySpec(topics, ['127.0.0.1:1']);
  const platform = await waitForPhase('Degraded', 'Degraded with Kafka unreachable', 30_000);
  assert.equal(condition(platform, 'Degraded')?.reason, 'KafkaUnreachable');
  assert.match(condition(platform, 'Degraded')?.message ?? '', /127\.0\.0\.1:1/);
  assert.ok(Date.now() - started < 30_000);
  await applySpec(topics);
  await waitForPhase('Ready', 'Ready with Kafka back', 30_000);
});

test('a topic is deleted only when its entry says delete: true', async () => {
  const orders = `${prefix}orders`;
  const wide = `${prefix}wide`;
  // Left out of the spec: kept.
  await applySpec([{ name: orders, partitions: 5, retentionMs: 3_600_000 }]);
  await waitForPhase('Ready', 'Ready without the wide topic');
  assert.ok((await kafka.listTopics()).includes(wide));
  await applySpec([
    { name: orders, partitions: 5, retentionMs: 3_600_000 },
    { name: wide, partitions: 1, delete: true },
  ]);
  await eventually('the topic deleted', async () => !(await kafka.listTopics()).includes(wide));
});

test('a restarted operator repeats nothing: no new Events, no status write, once converged', async () => {
  await waitForPhase('Ready', 'Ready before the restart');
  const events = async () =>
    (
      await kube.core.listNamespacedEvent({
        namespace,
        fieldSelector: `involvedObject.name=${name},involvedObject.kind=${KIND}`,
      })
    ).items.length;
  const before = await events();
  const version = (await getPlatform<MessengerPlatform>(kube, namespace, name)).metadata
    ?.resourceVersion;
  await operator.stop();
  operator = await startOperator({ WATCH_NAMESPACE: namespace, LEASE_NAME: 'operator' });
  await sleep(6_000); // the lease handed back at once, then three resync periods
  assert.equal(await events(), before);
  assert.equal(
    (await getPlatform<MessengerPlatform>(kube, namespace, name)).metadata?.resourceVersion,
    version,
  );
});
