// SASL on every Kafka client createKafka builds, against a broker of its own
// (@messenger/testkit/sasl-kafka: SCRAM-SHA-512, SCRAM-SHA-256 and PLAIN on its client listener,
// as the chart runs it). The stack's broker is not touched.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadKafkaSasl, type KafkaSasl } from '../config.js';
import { createLogger } from '../logger.js';
import { createRegistry } from '../metrics.js';
import { uniqueName } from '@messenger/testkit/stack';
import {
  saslKafkaSkip as skip,
  startSaslKafka,
  type SaslKafka,
} from '@messenger/testkit/sasl-kafka';
import { connectProducer, createKafka } from './client.js';
import { watchConsumerLag } from './lag.js';

const logger = createLogger('sasl-test', 'silent');
const users: Record<KafkaSasl['mechanism'], { username: string; password: string }> = {
  'scram-sha-512': { username: 'messaging', password: 'scram-512-secret' },
  'scram-sha-256': { username: 'session', password: 'scram-256-secret' },
  plain: { username: 'profile', password: 'plain-secret' },
};

let broker: SaslKafka | undefined;
let brokers: string[] = [];

/** Retries `check` until it stops throwing, or rethrows its last error after the timeout. */
async function until(check: () => unknown, timeoutMs: number, intervalMs = 200): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}

before(async () => {
  if (skip) return;
  broker = await startSaslKafka({
    users: (['scram-sha-512', 'scram-sha-256', 'plain'] as const).map((mechanism) => ({
      mechanism,
      ...users[mechanism],
    })),
  });
  brokers = broker.brokers;
});

after(async () => {
  await broker?.stop();
});

function withEnv<T>(env: Record<string, string>, run: () => T): T {
  const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  Object.assign(process.env, env);
  try {
    return run();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) Reflect.deleteProperty(process.env, name);
      else process.env[name] = value;
    }
  }
}

const saslEnv = (mechanism: KafkaSasl['mechanism'], password = users[mechanism].password) => ({
  KAFKA_SASL_MECHANISM: mechanism,
  KAFKA_SASL_USERNAME: users[mechanism].username,
  KAFKA_SASL_PASSWORD: password,
});

for (const mechanism of ['scram-sha-512', 'scram-sha-256', 'plain'] as const) {
  test(
    `${mechanism} from KAFKA_SASL_*: admin, idempotent producer, consumer and lag reader authenticate`,
    { skip },
    async () => {
      const kafka = withEnv(saslEnv(mechanism), () =>
        createKafka(uniqueName('sasl'), brokers, logger),
      );
      const topic = uniqueName(`sasl-${mechanism}`);
      const group = uniqueName('sasl-group');
      const admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1 }] });
      await admin.disconnect();

      const producer = await connectProducer(kafka);
      await producer.send({ topic, messages: [{ key: 'k', value: mechanism }] });
      await producer.disconnect();

      const registry = createRegistry('sasl-test');
      watchConsumerLag(registry, kafka, group, [topic]);
      const consumer = kafka.consumer({ groupId: group });
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      const received: string[] = [];
      await consumer.run({
        eachMessage: async ({ message }) => {
          received.push(message.value?.toString() ?? '');
          await Promise.resolve();
        },
      });
      try {
        await until(() => {
          assert.deepEqual(received, [mechanism]);
        }, 30_000);
        await until(async () => {
          const metrics = await registry.getSingleMetricAsString('kafka_consumer_lag');
          assert.match(metrics, new RegExp(`kafka_consumer_lag\\{[^}]*topic="${topic}"[^}]*\\} 0`));
        }, 30_000);
      } finally {
        await consumer.disconnect();
      }
    },
  );
}

test('a wrong password or no SASL at all is refused by the broker', { skip }, async () => {
  const wrong = withEnv(saslEnv('scram-sha-512', 'not-the-password'), () =>
    createKafka(uniqueName('sasl-wrong'), brokers, logger),
  );
  await assert.rejects(
    wrong.admin().connect(),
    /SASL SCRAM SHA512 authentication failed|Authentication failed/i,
  );
  const plaintext = createKafka(uniqueName('sasl-none'), brokers, logger, { sasl: false });
  const admin = plaintext.admin();
  await assert.rejects(
    Promise.race([
      admin.connect().then(() => admin.listTopics()),
      new Promise((_, reject) =>
        setTimeout(() => {
          reject(new Error('timed out'));
        }, 20_000),
      ),
    ]),
  );
  await admin.disconnect();
});

test('a partial KAFKA_SASL_* set stops createKafka with a ConfigError', () => {
  assert.throws(
    () =>
      withEnv({ KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'auth' }, () => {
        assert.throws(() => loadKafkaSasl(), ConfigError);
        return createKafka('partial', ['127.0.0.1:1'], logger);
      }),
    /KAFKA_SASL_PASSWORD: is required/,
  );
});
