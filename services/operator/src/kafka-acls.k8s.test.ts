// The chart's Kafka ACLs on a real broker: a SCRAM broker of the test's own
// (@messenger/testkit/sasl-kafka) run as the chart runs Kafka (@messenger/testkit/operator/
// chart-kafka): the StandardAuthorizer settings of the rendered run.sh, every SCRAM user of the
// rendered StatefulSet with its Secret password, the rendered ACLs set line by line with Kafka's
// own kafka-acls (split as run.sh splits them). The operator creates every topic under its ACLs
// alone; each service user then writes its own topics only, reads its own consumer group's
// offsets only, and creates no topic.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { allTopics } from '@messenger/contracts';
import { connectProducer, createKafka, createLogger } from '@messenger/platform';
import { connectKube } from './kube.js';
import { operatorRules } from './rbac.js';
import type { MessengerPlatform } from './spec.js';
import { chartKafka } from '@messenger/testkit/operator/chart-kafka';
import {
  condition,
  controlPlane,
  createNamespace,
  createPlatform,
  deleteNamespace,
  eventually,
  installCrd,
  platformWhere,
  uniqueName,
} from '@messenger/testkit/operator/control-plane';
import { parseAcls } from '@messenger/testkit/kafka-acls';
import { startOperator, type OperatorProcess } from '@messenger/testkit/operator/operator-process';
import { operatorKubeconfig } from '@messenger/testkit/operator/service-account';
import {
  saslKafkaSkip as skip,
  startSaslKafka,
  type SaslKafka,
} from '@messenger/testkit/sasl-kafka';

const kube = connectKube(controlPlane());
const namespace = uniqueName('op-acls');
const release = 'chat';
const name = 'messenger';
const kafka = chartKafka(release, namespace);
const acls = parseAcls(kafka.acls);
let broker: SaslKafka | undefined;
let operator: OperatorProcess | undefined;

before(async () => {
  if (skip) return;
  broker = await startSaslKafka({
    users: [kafka.superUser, ...kafka.users],
    properties: kafka.authorizer,
  });
  const [operatorConfig] = await Promise.all([
    (async () => {
      await installCrd(kube.config);
      await createNamespace(kube, namespace);
      return operatorKubeconfig(kube, namespace, operatorRules('operator'));
    })(),
    broker.addAcls(kafka.superUser, kafka.acls),
  ]);
  operator = await startOperator({
    KUBECONFIG: operatorConfig,
    WATCH_NAMESPACE: namespace,
    LEASE_NAME: 'operator',
    KAFKA_BROKERS: broker.brokers.join(','),
    ...kafka.operatorEnv,
  });
});

after(async () => {
  await operator?.stop();
  await broker?.stop();
  await deleteNamespace(kube, namespace);
});

test('the operator creates every topic with its ACLs alone: Ready', { skip }, async () => {
  await createPlatform(kube, namespace, name, { version: '0.1.0' });
  const ready = await platformWhere<MessengerPlatform>(
    kube,
    namespace,
    name,
    'Ready',
    (current) => condition(current, 'Ready')?.status === 'True',
  );
  for (const topic of allTopics) {
    assert.ok(ready.status?.topics?.includes(topic.name), `status lists ${topic.name}`);
  }
});

/** Kafka's refusal of a request the ACLs do not allow (kafkajs may gather them in `errors`). */
function notAuthorized(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { type, errors } = error as { type?: unknown; errors?: unknown };
  return (
    /AUTHORIZATION_FAILED/.test(String(type)) ||
    (Array.isArray(errors) && errors.length > 0 && errors.every(notAuthorized))
  );
}

/**
 * A group the ACLs do not allow: the broker answers FindCoordinator with GROUP_AUTHORIZATION_FAILED,
 * which kafkajs reports as "Failed to find group coordinator" (its cause dropped); for each
 * consumer's own group the same broker finds it.
 */
function groupRefused(error: unknown): boolean {
  return error instanceof Error && error.name === 'KafkaJSGroupCoordinatorNotFound';
}

test(
  'each service user writes its own topics and reads its own group only, and creates no topic',
  { skip },
  async () => {
    const groups = acls.filter((acl) => acl.resourceType === 'Group');
    assert.deepEqual(groups.map((group) => group.resourceName).sort(), [
      'messaging-delivery',
      'profile',
      'search',
    ]);
    const topic = allTopics[0]?.name ?? '';
    const logger = createLogger('acl-test', 'silent');
    const allowed: string[] = [];
    const refused: string[] = [];
    for (const user of kafka.users.filter((candidate) => candidate.username !== 'operator')) {
      const client = createKafka(`acl-${user.username}`, broker?.brokers ?? [], logger, {
        sasl: user,
      });
      // What every service does at start-up: every platform topic found, an idempotent producer.
      const admin = client.admin();
      await admin.connect();
      try {
        const listed = await admin.listTopics();
        for (const { name: topicName } of allTopics) {
          assert.ok(listed.includes(topicName), `${user.username} sees ${topicName}`);
        }
        await assert.rejects(
          admin.createTopics({ topics: [{ topic: uniqueName('acl-test'), numPartitions: 1 }] }),
          notAuthorized,
          `${user.username} creates a topic`,
        );
        // The offsets of a consumer group (as the lag gauge reads them): its own group's only.
        for (const group of groups) {
          const fetch = () => admin.fetchOffsets({ groupId: group.resourceName, topics: [topic] });
          if (group.principal === `User:${user.username}`) {
            // The first group lookup creates __consumer_offsets, loaded for a moment.
            await eventually(`${user.username} reads ${group.resourceName}`, async () => {
              await fetch();
              return true;
            });
          } else {
            await assert.rejects(
              fetch(),
              groupRefused,
              `${user.username} reads ${group.resourceName}`,
            );
          }
        }
      } finally {
        await admin.disconnect();
      }
      const producer = await connectProducer(client);
      try {
        for (const { name: topicName } of allTopics) {
          const grant = acls.some(
            (acl) =>
              acl.principal === `User:${user.username}` &&
              acl.operation === 'Write' &&
              acl.resourceName === topicName,
          );
          const send = producer.send({ topic: topicName, messages: [{ value: 'acl-test' }] });
          if (grant) await send;
          else await assert.rejects(send, notAuthorized, `${user.username} writes ${topicName}`);
          (grant ? allowed : refused).push(`${user.username} → ${topicName}`);
        }
      } finally {
        await producer.disconnect();
      }
    }
    // Each topic has its one producer; search, a consumer only, writes nowhere.
    assert.equal(allowed.length, allTopics.length, allowed.join(', '));
    assert.ok(allowed.includes('messaging → messenger.message.v1'), allowed.join(', '));
    assert.ok(refused.includes('search → messenger.message.v1'), refused.join(', '));
    assert.ok(refused.includes('auth → messenger.message.v1'), refused.join(', '));
  },
);
