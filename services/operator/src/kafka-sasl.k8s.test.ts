// The operator's own Kafka admin with SASL/SCRAM against a real SCRAM broker of the test's own
// (@messenger/testkit/sasl-kafka), its credentials exactly those of the operator Deployment
// `helm template` renders (@messenger/testkit/operator/chart-kafka): a wrong password is refused
// and the platform shows Degraded/KafkaAuthenticationFailed; with the chart's, the operator
// creates the topics; the broker stopped, the platform is Degraded/KafkaUnreachable within
// 30 s, and Ready once it is back. (kafka-acls.k8s.test.ts runs the broker with the chart's ACLs.)
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { allTopics } from '@messenger/contracts';
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
import { startOperator, type OperatorProcess } from '@messenger/testkit/operator/operator-process';
import { operatorKubeconfig } from '@messenger/testkit/operator/service-account';
import {
  saslClient,
  saslKafkaSkip as skip,
  startSaslKafka,
  type SaslKafka,
} from '@messenger/testkit/sasl-kafka';

const kube = connectKube(controlPlane());
const namespace = uniqueName('op-sasl');
const release = 'chat';
const name = 'messenger';
const kafka = chartKafka(release, namespace);
let broker: SaslKafka | undefined;
let operator: OperatorProcess | undefined;
let operatorConfig = '';

async function runOperator(sasl: Record<string, string>): Promise<void> {
  await operator?.stop();
  operator = await startOperator({
    KUBECONFIG: operatorConfig,
    WATCH_NAMESPACE: namespace,
    LEASE_NAME: 'operator',
    KAFKA_BROKERS: broker?.brokers.join(',') ?? '',
    ...sasl,
  });
}

const platform = (what: string, holds: (current: MessengerPlatform) => boolean) =>
  platformWhere<MessengerPlatform>(kube, namespace, name, what, holds);

async function topicsInKafka(): Promise<string[]> {
  const admin = saslClient(broker?.brokers ?? [], kafka.operatorUser).admin();
  await admin.connect();
  try {
    return await admin.listTopics();
  } finally {
    await admin.disconnect();
  }
}

before(async () => {
  if (skip) return;
  assert.deepEqual(Object.keys(kafka.operatorEnv).sort(), [
    'KAFKA_SASL_MECHANISM',
    'KAFKA_SASL_PASSWORD',
    'KAFKA_SASL_USERNAME',
  ]);
  broker = await startSaslKafka({ users: [kafka.operatorUser] });
  await installCrd(kube.config);
  await createNamespace(kube, namespace);
  operatorConfig = await operatorKubeconfig(kube, namespace, operatorRules('operator'));
});

after(async () => {
  await operator?.stop();
  await broker?.stop();
  await deleteNamespace(kube, namespace);
});

test(
  'a wrong SCRAM password: refused by the broker, Degraded naming the authentication',
  { skip },
  async () => {
    await runOperator({
      ...kafka.operatorEnv,
      KAFKA_SASL_PASSWORD: `not-${kafka.operatorUser.password}`,
    });
    await createPlatform(kube, namespace, name, { version: '0.1.0' });
    const degraded = condition(
      await platform('Degraded', (current) => condition(current, 'Degraded')?.status === 'True'),
      'Degraded',
    );
    assert.equal(degraded?.reason, 'KafkaAuthenticationFailed');
    assert.match(degraded.message, /refused the operator: .*authentication failed/i);
    // The Event follows the status write.
    await eventually('a KafkaAuthenticationFailed Event', async () => {
      const events = await kube.core.listNamespacedEvent({
        namespace,
        fieldSelector: `involvedObject.name=${name}`,
      });
      return events.items.some((event) => event.reason === 'KafkaAuthenticationFailed');
    });
    assert.deepEqual(await topicsInKafka(), []);
  },
);

test(
  'the chart’s SCRAM credentials: the operator creates every topic and the platform is Ready',
  { skip },
  async () => {
    await runOperator(kafka.operatorEnv);
    const ready = await platform(
      'Ready',
      (current) => condition(current, 'Ready')?.status === 'True',
    );
    assert.equal(condition(ready, 'Degraded')?.status, 'False');
    const inKafka = await topicsInKafka();
    for (const topic of allTopics) {
      assert.ok(ready.status?.topics?.includes(topic.name), `status lists ${topic.name}`);
      assert.ok(inKafka.includes(topic.name), `Kafka has ${topic.name}`);
    }
  },
);

test(
  'Kafka stopped: Degraded/KafkaUnreachable within 30 s, Ready once it is back',
  { skip },
  async () => {
    await broker?.pause();
    const stopped = Date.now();
    const degraded = await platform(
      'Degraded with Kafka stopped',
      (current) => condition(current, 'Degraded')?.reason === 'KafkaUnreachable',
    );
    assert.ok(Date.now() - stopped < 30_000, `Degraded after ${Date.now() - stopped} ms`);
    assert.match(
      condition(degraded, 'Degraded')?.message ?? '',
      new RegExp(broker?.brokers[0] ?? ''),
    );
    await broker?.resume();
    await platform(
      'Ready with Kafka back',
      (current) => condition(current, 'Ready')?.status === 'True',
    );
  },
);
