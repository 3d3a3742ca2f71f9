// The operator's own Kafka admin with SASL/SCRAM against a real SCRAM broker of the test's own
// (@messenger/testkit/sasl-kafka) run as the chart runs its Kafka: its authorizer settings from
// the rendered run.sh, its users and passwords from the rendered StatefulSet and Secret, the
// rendered ACLs (set with Kafka's own kafka-acls tool). The operator's credentials are exactly
// those of the rendered operator Deployment: a wrong password is refused and the platform shows
// Degraded/KafkaAuthenticationFailed; with the chart's, the operator creates the topics under
// its own ACLs; stopping the broker turns it Degraded/KafkaUnreachable within 30 s, and Ready
// when it is back. Each service user then writes its own topics only, reads its own consumer
// group's offsets only, and creates no topic.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  loadAllYaml,
  type V1ConfigMap,
  type V1Deployment,
  type V1EnvVar,
  type V1Secret,
  type V1StatefulSet,
} from '@kubernetes/client-node';
import { allTopics } from '@messenger/contracts';
import { connectProducer, createKafka, createLogger } from '@messenger/platform';
import { connectKube } from './kube.js';
import { operatorRules } from './rbac.js';
import type { MessengerPlatform } from './spec.js';
import {
  condition,
  controlPlane,
  createNamespace,
  createPlatform,
  deleteNamespace,
  eventually,
  getPlatform,
  installCrd,
  uniqueName,
} from '@messenger/testkit/operator/control-plane';
import { parseAcls } from '@messenger/testkit/kafka-acls';
import { chart, helmOk } from '@messenger/testkit/operator/helm-release';
import { startOperator, type OperatorProcess } from '@messenger/testkit/operator/operator-process';
import { operatorKubeconfig } from '@messenger/testkit/operator/service-account';
import {
  saslClient,
  saslKafkaSkip as skip,
  startSaslKafka,
  type SaslKafka,
  type SaslUser,
} from '@messenger/testkit/sasl-kafka';

const kube = connectKube(controlPlane());
const namespace = uniqueName('op-sasl');
const release = 'chat';
const name = 'messenger';
let broker: SaslKafka | undefined;
let operator: OperatorProcess | undefined;
let operatorConfig = '';

const rendered = loadAllYaml(
  helmOk(
    'template',
    release,
    chart,
    '--namespace',
    namespace,
    '-f',
    join(chart, 'ci/operator-values.yaml'),
  ),
) as (V1Deployment & V1StatefulSet & V1Secret & V1ConfigMap)[];

function secretValue(ref: { name?: string; key: string }): string {
  const secret = rendered.find(
    (object) => object.kind === 'Secret' && object.metadata?.name === ref.name,
  );
  const encoded = secret?.data?.[ref.key];
  assert.ok(encoded, `the chart renders Secret ${ref.name ?? ''} with key ${ref.key}`);
  return Buffer.from(encoded, 'base64').toString('utf8');
}

/** A container's environment as the kubelet would give it (values and Secret keys). */
function envOf(kind: string, component: string): Record<string, string> {
  const workload = rendered.find(
    (object) =>
      object.kind === kind &&
      object.metadata?.labels?.['app.kubernetes.io/component'] === component,
  );
  const entries: V1EnvVar[] = workload?.spec?.template.spec?.containers[0]?.env ?? [];
  return Object.fromEntries(
    entries.map((entry) => {
      const ref = entry.valueFrom?.secretKeyRef;
      return [entry.name, ref ? secretValue(ref) : (entry.value ?? '')];
    }),
  );
}

/** The operator's KAFKA_SASL_*. */
const chartEnv = Object.fromEntries(
  Object.entries(envOf('Deployment', 'operator')).filter(([key]) => key.startsWith('KAFKA_SASL_')),
);
const kafkaEnv = envOf('StatefulSet', 'kafka');
const kafkaConfig =
  rendered.find(
    (object) => object.kind === 'ConfigMap' && object.metadata?.name === `${release}-kafka`,
  )?.data ?? {};

function mechanismOf(value: string | undefined): 'scram-sha-512' | 'scram-sha-256' {
  const mechanism = value?.toLowerCase();
  assert.ok(mechanism === 'scram-sha-512' || mechanism === 'scram-sha-256', `${mechanism}`);
  return mechanism;
}

function chartUser(): SaslUser {
  return {
    mechanism: mechanismOf(chartEnv.KAFKA_SASL_MECHANISM),
    username: chartEnv.KAFKA_SASL_USERNAME ?? '',
    password: chartEnv.KAFKA_SASL_PASSWORD ?? '',
  };
}

/** Every SCRAM user of the brokers (KAFKA_USERS), with its password from the Secret. */
function brokerUsers(): SaslUser[] {
  return (kafkaEnv.KAFKA_USERS ?? '').split(' ').map((username) => ({
    mechanism: mechanismOf(kafkaEnv.KAFKA_SASL_MECHANISM),
    username,
    password: kafkaEnv[`KAFKA_PASSWORD_${username.toUpperCase()}`] ?? '',
  }));
}

/** The inter-broker user, super user of the brokers: a SCRAM user of the test's broker. */
function superUser(): SaslUser {
  return {
    mechanism: mechanismOf(kafkaEnv.KAFKA_SASL_MECHANISM),
    username: kafkaEnv.KAFKA_INTER_BROKER_USER ?? '',
    password: kafkaEnv.KAFKA_INTER_BROKER_PASSWORD ?? '',
  };
}

/** The authorizer settings run.sh writes, for the test's broker (whose own listeners are
 * PLAINTEXT, so its ANONYMOUS principal is a super user too). */
function authorizerProperties(): string[] {
  const lines = [
    ...(kafkaConfig['run.sh'] ?? '').matchAll(
      /echo "((?:authorizer\.class\.name|allow\.everyone\.if\.no\.acl\.found|super\.users)=[^"]*)"/g,
    ),
  ].map((match) => (match[1] ?? '').replace('${KAFKA_INTER_BROKER_USER}', superUser().username));
  assert.equal(lines.length, 3, lines.join('\n'));
  return lines.map((line) => (line.startsWith('super.users=') ? `${line};User:ANONYMOUS` : line));
}

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

async function platformWhere(
  what: string,
  holds: (platform: MessengerPlatform) => boolean,
): Promise<MessengerPlatform> {
  return eventually(
    what,
    async () => {
      const platform = await getPlatform<MessengerPlatform>(kube, namespace, name);
      return holds(platform) ? platform : undefined;
    },
    30_000,
  );
}

async function topicsInKafka(): Promise<string[]> {
  const admin = saslClient(broker?.brokers ?? [], chartUser()).admin();
  await admin.connect();
  try {
    return await admin.listTopics();
  } finally {
    await admin.disconnect();
  }
}

before(async () => {
  if (skip) return;
  assert.deepEqual(Object.keys(chartEnv).sort(), [
    'KAFKA_SASL_MECHANISM',
    'KAFKA_SASL_PASSWORD',
    'KAFKA_SASL_USERNAME',
  ]);
  broker = await startSaslKafka({
    users: [superUser(), ...brokerUsers()],
    properties: authorizerProperties(),
  });
  // With Kafka's own kafka-acls, each rendered line as run.sh passes it.
  await broker.addAcls(superUser(), kafkaConfig.acls ?? '');
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
      ...chartEnv,
      KAFKA_SASL_PASSWORD: `not-${chartEnv.KAFKA_SASL_PASSWORD ?? ''}`,
    });
    await createPlatform(kube, namespace, name, { version: '0.1.0' });
    const platform = await platformWhere(
      'Degraded',
      (current) => condition(current, 'Degraded')?.status === 'True',
    );
    const degraded = condition(platform, 'Degraded');
    assert.equal(degraded?.reason, 'KafkaAuthenticationFailed');
    assert.match(degraded.message, /refused the operator: .*authentication failed/i);
    assert.equal(platform.status?.phase, 'Degraded');
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
    await runOperator(chartEnv);
    const platform = await platformWhere(
      'Ready',
      (current) => condition(current, 'Ready')?.status === 'True',
    );
    assert.equal(condition(platform, 'Degraded')?.status, 'False');
    const inKafka = await topicsInKafka();
    for (const topic of allTopics) {
      assert.ok(platform.status?.topics?.includes(topic.name), `status lists ${topic.name}`);
      assert.ok(inKafka.includes(topic.name), `Kafka has ${topic.name}`);
    }
  },
);

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
  'each service user writes its own topics and reads its own group only, and creates no topic: the chart’s ACLs on a real broker',
  { skip },
  async () => {
    const acls = parseAcls(kafkaConfig.acls ?? '');
    const groups = acls.filter((acl) => acl.resourceType === 'Group');
    const topic = allTopics[0]?.name ?? '';
    const logger = createLogger('acl-test', 'silent');
    const allowed: string[] = [];
    const refused: string[] = [];
    for (const user of brokerUsers().filter((candidate) => candidate.username !== 'operator')) {
      const kafka = createKafka(`acl-${user.username}`, broker?.brokers ?? [], logger, {
        sasl: user,
      });
      // What every service does at start-up: every platform topic found, an idempotent producer.
      const admin = kafka.admin();
      await admin.connect();
      try {
        const listed = await admin.listTopics();
        for (const topic of allTopics) {
          assert.ok(listed.includes(topic.name), `${user.username} sees ${topic.name}`);
        }
        await assert.rejects(
          admin.createTopics({ topics: [{ topic: uniqueName('acl-test'), numPartitions: 1 }] }),
          notAuthorized,
          `${user.username} creates a topic`,
        );
        // The offsets of a consumer group (as the lag gauge reads them): its own group's only.
        for (const group of groups) {
          const fetch = admin.fetchOffsets({ groupId: group.resourceName, topics: [topic] });
          if (group.principal === `User:${user.username}`) await fetch;
          else
            await assert.rejects(
              fetch,
              groupRefused,
              `${user.username} reads ${group.resourceName}`,
            );
        }
      } finally {
        await admin.disconnect();
      }
      const producer = await connectProducer(kafka);
      try {
        for (const topic of allTopics) {
          const grant = acls.some(
            (acl) =>
              acl.principal === `User:${user.username}` &&
              acl.operation === 'Write' &&
              acl.resourceName === topic.name,
          );
          const send = producer.send({ topic: topic.name, messages: [{ value: 'acl-test' }] });
          if (grant) await send;
          else await assert.rejects(send, notAuthorized, `${user.username} writes ${topic.name}`);
          (grant ? allowed : refused).push(`${user.username} → ${topic.name}`);
        }
      } finally {
        await producer.disconnect();
      }
    }
    assert.deepEqual(groups.map((group) => group.resourceName).sort(), [
      'messaging-delivery',
      'profile',
      'search',
    ]);
    // Each topic has its one producer; search, a consumer only, writes nowhere.
    assert.equal(allowed.length, allTopics.length, allowed.join(', '));
    assert.ok(allowed.includes('messaging → messenger.message.v1'), allowed.join(', '));
    assert.ok(refused.includes('search → messenger.message.v1'), refused.join(', '));
    assert.ok(refused.includes('auth → messenger.message.v1'), refused.join(', '));
  },
);

// Last: after a restart the broker's group coordinator loads its offsets for a while.
test(
  'Kafka stopped: Degraded/KafkaUnreachable within 30 s, Ready once it is back',
  { skip },
  async () => {
    await broker?.pause();
    const stopped = Date.now();
    const platform = await platformWhere(
      'Degraded with Kafka stopped',
      (current) => condition(current, 'Degraded')?.reason === 'KafkaUnreachable',
    );
    assert.ok(Date.now() - stopped < 30_000, `Degraded after ${Date.now() - stopped} ms`);
    assert.match(
      condition(platform, 'Degraded')?.message ?? '',
      new RegExp(broker?.brokers[0] ?? ''),
    );
    assert.equal(platform.status?.phase, 'Degraded');
    await broker?.resume();
    await platformWhere(
      'Ready with Kafka back',
      (current) => condition(current, 'Ready')?.status === 'True',
    );
  },
);
