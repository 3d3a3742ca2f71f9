/**
 * A Kafka broker of a test's own with SASL on its client listener, as the chart runs it: one
 * KRaft node from the local stack's cached jars (scripts/stack/servers/kafka.sh) on free ports,
 * the client listener SASL_PLAINTEXT (SCRAM-SHA-512, SCRAM-SHA-256 and PLAIN), the inter-broker
 * and controller listeners PLAINTEXT. The stack's broker is not touched.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type SASLOptions } from 'kafkajs';

const KAFKA_VERSION = '3.9.2';
const libs = join(
  process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'),
  'messenger-stack',
  `kafka-${KAFKA_VERSION}`,
  'libs',
);

/** Why such a broker cannot start here (a test's `skip`), or false when it can. */
export const saslKafkaSkip: string | false =
  !existsSync(join(libs, '.complete')) || spawnSync('java', ['-version']).status !== 0
    ? `needs java and the Kafka jars in ${libs} (make up fetches them)`
    : false;

export interface SaslUser {
  mechanism: 'scram-sha-512' | 'scram-sha-256' | 'plain';
  username: string;
  password: string;
}

export interface SaslKafkaOptions {
  /** Users of the client listener; SCRAM ones are stored when the node is formatted. */
  users: readonly SaslUser[];
  /** More server.properties lines (an authorizer, its super users...). */
  properties?: readonly string[];
}

export interface SaslKafka {
  brokers: string[];
  /** The broker's console and log, for a failure message. */
  output(): string;
  /** Stops the broker process; its data and ports are kept for `resume`. */
  pause(): Promise<void>;
  /** Starts it again on the same ports and data, once it answers. */
  resume(): Promise<void>;
  /**
   * Runs Kafka's own kafka-acls tool (AclCommand) as `user` with `--add` and each line's
   * arguments, split as bash's `read -ra` splits them (as the chart's run.sh does).
   */
  addAcls(user: SaslUser, lines: string): Promise<void>;
  stop(): Promise<void>;
}

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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

class BrokerExited extends Error {}

/** The broker's console and log, for a failure message: the folder is gone after. */
function brokerOutput(dir: string): string {
  const tail = (file: string) =>
    existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(-40).join('\n') : '';
  return `${tail(join(dir, 'console.log'))}\n${tail(join(dir, 'kafka.log'))}`;
}

function runKafkaClass(dir: string, mainClass: string, args: string[]): void {
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

/** A kafkajs client of one of the broker's users. */
export function saslClient(brokers: string[], user: SaslUser, clientId = 'sasl-test'): Kafka {
  return new Kafka({
    clientId,
    brokers,
    sasl: { ...user } as SASLOptions,
    logLevel: logLevel.NOTHING,
    retry: { retries: 2, initialRetryTime: 200, maxRetryTime: 1_000 },
  });
}

function writeConfig(dir: string, ports: number[], options: SaslKafkaOptions): string[] {
  const [client, internal, controller] = ports as [number, number, number];
  const plainUsers = options.users
    .filter((user) => user.mechanism === 'plain')
    .map((user) => `user_${user.username}="${user.password}"`)
    .join(' ');
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
      ...(options.properties ?? []),
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
  return options.users
    .filter((user) => user.mechanism !== 'plain')
    .flatMap((user) => [
      '--add-scram',
      `${user.mechanism.toUpperCase()}=[name=${user.username},password=${user.password}]`,
    ]);
}

/** One broker process on the node formatted in `dir`, once it answers `probe`; gives its stop. */
async function runBroker(
  dir: string,
  brokers: string[],
  port: number,
  probe: SaslUser,
): Promise<() => Promise<void>> {
  const output = openSync(join(dir, 'console.log'), 'a');
  const broker: ChildProcess = spawn(
    'java',
    [
      '-Xms128m',
      '-Xmx512m',
      `-Dlog4j.configuration=file:${join(dir, 'log4j.properties')}`,
      '-cp',
      `${libs}/*`,
      'kafka.Kafka',
      join(dir, 'server.properties'),
    ],
    { stdio: ['ignore', output, output] },
  );
  const stop = async () => {
    if (broker.exitCode === null && broker.signalCode === null) {
      const exited = new Promise((resolve) => broker.once('exit', resolve));
      broker.kill('SIGTERM');
      const timer = setTimeout(() => broker.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
  };
  try {
    const deadline = Date.now() + 90_000;
    while (!(await listening(port))) {
      if (broker.exitCode !== null || broker.signalCode !== null) {
        throw new BrokerExited(`exit ${String(broker.exitCode ?? broker.signalCode)}`);
      }
      if (Date.now() > deadline)
        throw new Error(`nothing listens on ${brokers[0] ?? ''} after 90 s`);
      await sleep(200);
    }
    for (;;) {
      const admin = saslClient(brokers, probe, 'sasl-probe').admin();
      try {
        await admin.connect();
        await admin.describeCluster();
        return stop;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await sleep(500);
      } finally {
        await admin.disconnect();
      }
    }
  } catch (error) {
    await stop();
    throw error;
  }
}

/** One kafka-acls run a line, a few at a time (each is a JVM). */
async function addAcls(dir: string, brokers: string[], user: SaslUser, lines: string) {
  const config = join(dir, `acl-${user.username}.properties`);
  writeFileSync(
    config,
    [
      'security.protocol=SASL_PLAINTEXT',
      `sasl.mechanism=${user.mechanism.toUpperCase()}`,
      `sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="${user.username}" password="${user.password}";`,
      '',
    ].join('\n'),
  );
  const script = `read -ra acl <<<"$1"; exec java -Xmx128m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Dlog4j.configuration=file:${join(dir, 'log4j.properties')} -cp '${libs}/*' kafka.admin.AclCommand --bootstrap-server ${brokers.join(',')} --command-config ${config} --add "\${acl[@]}"`;
  const queue = lines.split('\n').filter((line) => line.trim() !== '');
  const run = async (): Promise<void> => {
    for (let line = queue.shift(); line !== undefined; line = queue.shift()) {
      const child = spawn('bash', ['-c', script, 'kafka-acls', line], { stdio: 'pipe' });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const code = await new Promise((resolve) => child.once('exit', resolve));
      if (code !== 0) throw new Error(`kafka-acls --add ${line}: exit ${String(code)}\n${output}`);
    }
  };
  await Promise.all([run(), run(), run()]);
}

async function startOnce(dir: string, options: SaslKafkaOptions): Promise<SaslKafka> {
  rmSync(join(dir, 'data'), { recursive: true, force: true });
  const ports = [await freePort(), await freePort(), await freePort()];
  const port = ports[0] ?? 0;
  const brokers = [`127.0.0.1:${String(port)}`];
  const scram = writeConfig(dir, ports, options);
  runKafkaClass(dir, 'kafka.tools.StorageTool', [
    'format',
    '-t',
    'c2FzbC10ZXN0LWNsdXN0ZXI',
    '-c',
    join(dir, 'server.properties'),
    ...scram,
  ]);
  const probe = options.users[0];
  if (!probe) throw new Error('a SASL broker needs a user');
  let stop = await runBroker(dir, brokers, port, probe);
  return {
    brokers,
    output: () => brokerOutput(dir),
    pause: () => stop(),
    resume: async () => {
      try {
        stop = await runBroker(dir, brokers, port, probe);
      } catch (error) {
        throw new Error(`the broker did not start again (${String(error)}):\n${brokerOutput(dir)}`);
      }
    },
    addAcls: (user, lines) => addAcls(dir, brokers, user, lines),
    stop: () => stop(),
  };
}

/**
 * Starts the broker (a node that exits while starting, as when a port was taken after all, is
 * started again on other ports, three times at most); `stop` also removes its folder.
 */
export async function startSaslKafka(options: SaslKafkaOptions): Promise<SaslKafka> {
  const dir = mkdtempSync(join(tmpdir(), 'messenger-sasl-kafka-'));
  for (let attempt = 1; ; attempt += 1) {
    try {
      const kafka = await startOnce(dir, options);
      return {
        ...kafka,
        stop: async () => {
          await kafka.stop();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    } catch (error) {
      if (!(error instanceof BrokerExited) || attempt === 3) {
        const output = brokerOutput(dir);
        rmSync(dir, { recursive: true, force: true });
        throw new Error(`the SASL broker did not start (${String(error)}):\n${output}`);
      }
    }
  }
}
