// SASL on every Kafka client createKafka builds, against a broker of its own: a KRaft node from
// the local stack's cached jars (scripts/stack/servers/kafka.sh) on free ports, with the client
// listener SASL_PLAINTEXT (SCRAM-SHA-512, SCRAM-SHA-256 and PLAIN), as the chart runs it. The
// stack's broker is not touched.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadKafkaSasl, type KafkaSasl } from '../config.js';
import { createLogger } from '../logger.js';
import { createRegistry } from '../metrics.js';
import { uniqueName } from '@messenger/testkit/stack';
import { connectProducer, createKafka } from './client.js';
import { watchConsumerLag } from './lag.js';

const KAFKA_VERSION = '3.9.2';
const libs = join(
  process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'),
  'messenger-stack',
  `kafka-${KAFKA_VERSION}`,
  'libs',
);
const java = spawnSync('java', ['-version']).status === 0;
const skip =
  !existsSync(join(libs, '.complete')) || !java
    ? `needs java and the Kafka jars in ${libs} (make up fetches them)`
    : false;

const logger = createLogger('sasl-test', 'silent');
const users: Record<KafkaSasl['mechanism'], { username: string; password: string }> = {
  'scram-sha-512': { username: 'messaging', password: 'scram-512-secret' },
  'scram-sha-256': { username: 'session', password: 'scram-256-secret' },
  plain: { username: 'profile', password: 'plain-secret' },
};

let broker: ChildProcess | undefined;
let dir = '';
let brokers: string[] = [];

// Ports below Linux's ephemeral range (32768+), so that no outgoing connection of another test
// takes one between this check and the broker's bind.
function freePort(): Promise<number> {
  const port = 20_000 + Math.floor(Math.random() * 12_000);
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => {
      resolve(freePort());
    });
    server.listen(port, '127.0.0.1', () => {
      server.close(() => {
        resolve(port);
      });
    });
  });
}

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

function runKafkaClass(mainClass: string, args: string[]): void {
  const result = spawnSync(
    'java',
    [
      `-Dlog4j.configuration=file:${join(dir, 'log4j.properties')}`,
      '-cp',
      `${libs}/*`,
      mainClass,
      ...args,
    ],
    { encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`${mainClass} failed: ${result.stderr}${result.stdout}`);
}

/** The broker's own log and its console, for a failure message: the test's folder is gone after. */
function brokerOutput(): string {
  const tail = (file: string) =>
    existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(-40).join('\n') : '';
  return `${tail(join(dir, 'console.log'))}\n${tail(join(dir, 'kafka.log'))}`;
}

class BrokerExited extends Error {}

async function startBroker(): Promise<void> {
  rmSync(join(dir, 'data'), { recursive: true, force: true });
  const [client, internal, controller] = [await freePort(), await freePort(), await freePort()];
  brokers = [`127.0.0.1:${client}`];
  const plainUsers = `user_${users.plain.username}="${users.plain.password}"`;
  writeFileSync(
    join(dir, 'server.properties'),
    [
      'process.roles=broker,controller',
      'node.id=1',
      `listeners=CLIENT://127.0.0.1:${client},INTERNAL://127.0.0.1:${internal},CONTROLLER://127.0.0.1:${controller}`,
      `advertised.listeners=CLIENT://127.0.0.1:${client},INTERNAL://127.0.0.1:${internal}`,
      'listener.security.protocol.map=CLIENT:SASL_PLAINTEXT,INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT',
      'inter.broker.listener.name=INTERNAL',
      'controller.listener.names=CONTROLLER',
      `controller.quorum.voters=1@127.0.0.1:${controller}`,
      'listener.name.client.sasl.enabled.mechanisms=SCRAM-SHA-512,SCRAM-SHA-256,PLAIN',
      'listener.name.client.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;',
      'listener.name.client.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;',
      `listener.name.client.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required ${plainUsers};`,
      `log.dirs=${join(dir, 'data')}`,
      'num.partitions=1',
      'auto.create.topics.enable=false',
      'offsets.topic.replication.factor=1',
      'offsets.topic.num.partitions=1',
      'transaction.state.log.replication.factor=1',
      'transaction.state.log.min.isr=1',
      'group.initial.rebalance.delay.ms=0',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'log4j.properties'),
    [
      'log4j.rootLogger=WARN, file',
      'log4j.appender.file=org.apache.log4j.FileAppender',
      `log4j.appender.file.File=${join(dir, 'kafka.log')}`,
      'log4j.appender.file.layout=org.apache.log4j.PatternLayout',
      'log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n',
      '',
    ].join('\n'),
  );
  const scram = (['scram-sha-512', 'scram-sha-256'] as const).flatMap((mechanism) => [
    '--add-scram',
    `${mechanism.toUpperCase()}=[name=${users[mechanism].username},password=${users[mechanism].password}]`,
  ]);
  runKafkaClass('kafka.tools.StorageTool', [
    'format',
    '-t',
    'c2FzbC10ZXN0LWNsdXN0ZXI',
    '-c',
    join(dir, 'server.properties'),
    ...scram,
  ]);
  const output = openSync(join(dir, 'console.log'), 'w');
  broker = spawn(
    'java',
    [
      '-Xms128m',
      '-Xmx256m',
      `-Dlog4j.configuration=file:${join(dir, 'log4j.properties')}`,
      '-cp',
      `${libs}/*`,
      'kafka.Kafka',
      join(dir, 'server.properties'),
    ],
    { stdio: ['ignore', output, output] },
  );
  const deadline = Date.now() + 90_000;
  const child = broker;
  while (!(await listening(client))) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new BrokerExited(`exit ${String(child.exitCode ?? child.signalCode)}`);
    }
    if (Date.now() > deadline) throw new Error(`nothing listens on ${brokers[0] ?? ''} after 90 s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const sasl = { mechanism: 'scram-sha-512' as const, ...users['scram-sha-512'] };
  await until(
    async () => {
      const admin = createKafka('sasl-probe', brokers, logger, { sasl }).admin();
      await admin.connect();
      try {
        await admin.describeCluster();
      } finally {
        await admin.disconnect();
      }
    },
    Math.max(deadline - Date.now(), 10_000),
    500,
  );
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      resolve(false);
    });
  });
}

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'messenger-sasl-kafka-'));
  for (let attempt = 1; ; attempt += 1) {
    try {
      await startBroker();
      return;
    } catch (error) {
      if (!(error instanceof BrokerExited) || attempt === 3) {
        throw new Error(`the SASL broker did not start (${String(error)}):\n${brokerOutput()}`);
      }
    }
  }
});

after(async () => {
  if (broker && broker.exitCode === null) {
    const exited = new Promise((resolve) => broker?.once('exit', resolve));
    broker.kill('SIGTERM');
    const timer = setTimeout(() => broker?.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
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
