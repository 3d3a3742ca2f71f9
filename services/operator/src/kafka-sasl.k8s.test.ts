// The operator's own Kafka admin with SASL/SCRAM against a real SCRAM broker of the test's own
// (@messenger/testkit/sasl-kafka), its credentials exactly as the chart hands them over: the
// KAFKA_SASL_* entries of the operator Deployment `helm template` renders, the password read
// from the generated Secret key it names. A wrong password is refused by the broker and the
// platform shows Degraded/KafkaAuthenticationFailed; with the chart's, the topics are created.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  loadAllYaml,
  type V1Deployment,
  type V1EnvVar,
  type V1Secret,
} from '@kubernetes/client-node';
import { allTopics } from '@messenger/contracts';
import { connectKube } from './kube.js';
import { operatorRules } from './rbac.js';
import { API_VERSION, GROUP, KIND, PLURAL, VERSION, type MessengerPlatform } from './spec.js';
import {
  condition,
  controlPlane,
  createNamespace,
  deleteNamespace,
  eventually,
  getPlatform,
  installCrd,
  uniqueName,
} from '@messenger/testkit/operator/control-plane';
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

/** The operator's KAFKA_SASL_* as the chart renders them, the password from its Secret. */
function chartSaslEnv(): Record<string, string> {
  const objects = loadAllYaml(
    helmOk(
      'template',
      release,
      chart,
      '--namespace',
      namespace,
      '-f',
      join(chart, 'ci/operator-values.yaml'),
    ),
  ) as (V1Deployment & V1Secret)[];
  const deployment = objects.find(
    (object) =>
      object.kind === 'Deployment' &&
      object.metadata?.labels?.['app.kubernetes.io/component'] === 'operator',
  );
  const entries: V1EnvVar[] =
    deployment?.spec?.template.spec?.containers[0]?.env?.filter((entry) =>
      entry.name.startsWith('KAFKA_SASL_'),
    ) ?? [];
  const secretValue = (ref: { name?: string; key: string }): string => {
    const secret = objects.find(
      (object) => object.kind === 'Secret' && object.metadata?.name === ref.name,
    );
    const encoded = secret?.data?.[ref.key];
    assert.ok(encoded, `the chart renders Secret ${ref.name ?? ''} with key ${ref.key}`);
    return Buffer.from(encoded, 'base64').toString('utf8');
  };
  return Object.fromEntries(
    entries.map((entry) => {
      const ref = entry.valueFrom?.secretKeyRef;
      return [entry.name, ref ? secretValue(ref) : (entry.value ?? '')];
    }),
  );
}

const chartEnv = chartSaslEnv();

function chartUser(): SaslUser {
  const mechanism = chartEnv.KAFKA_SASL_MECHANISM;
  assert.ok(mechanism === 'scram-sha-512' || mechanism === 'scram-sha-256', `${mechanism}`);
  return {
    mechanism,
    username: chartEnv.KAFKA_SASL_USERNAME ?? '',
    password: chartEnv.KAFKA_SASL_PASSWORD ?? '',
  };
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
  broker = await startSaslKafka({ users: [chartUser()] });
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
    await kube.custom.createNamespacedCustomObject({
      group: GROUP,
      version: VERSION,
      namespace,
      plural: PLURAL,
      body: {
        apiVersion: API_VERSION,
        kind: KIND,
        metadata: { name, namespace },
        spec: { version: '0.1.0' },
      },
    });
    const platform = await platformWhere(
      'Degraded',
      (current) => condition(current, 'Degraded')?.status === 'True',
    );
    const degraded = condition(platform, 'Degraded');
    assert.equal(degraded?.reason, 'KafkaAuthenticationFailed');
    assert.match(degraded.message, /refused the operator: .*authentication failed/i);
    assert.equal(platform.status?.phase, 'Degraded');
    const events = await kube.core.listNamespacedEvent({
      namespace,
      fieldSelector: `involvedObject.name=${name}`,
    });
    assert.ok(events.items.some((event) => event.reason === 'KafkaAuthenticationFailed'));
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
