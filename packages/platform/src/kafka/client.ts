import {
  Kafka,
  logLevel,
  Partitioners,
  type LogEntry,
  type Producer,
  type SASLOptions,
} from 'kafkajs';
import type { Logger } from 'pino';
import type { TopicSpec } from '@messenger/contracts';
import { loadKafkaSasl, type KafkaSasl } from '../config.js';
import { stopIdleRequestQueueTimers } from './idle-request-queue.js';

export type { Kafka, Producer };

const LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

export interface KafkaClientOptions {
  /**
   * SASL credentials of every connection of this client. By default they are read from
   * KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD (all three or none; a
   * partial set is a ConfigError); `false` connects without SASL whatever the environment says.
   */
  sasl?: KafkaSasl | false;
}

/**
 * The Kafka client of a service. Every producer, consumer and admin built from it (the relay,
 * the consumers, topic creation, readiness and the lag reader) shares its brokers and SASL.
 */
export function createKafka(
  clientId: string,
  brokers: string[],
  logger: Logger,
  options: KafkaClientOptions = {},
): Kafka {
  stopIdleRequestQueueTimers();
  const kafkaLogger = logger.child({ component: 'kafkajs' });
  const sasl = options.sasl === undefined ? loadKafkaSasl() : options.sasl || undefined;
  return new Kafka({
    clientId,
    brokers,
    ...(sasl ? { sasl: saslOptions(sasl) } : {}),
    logLevel: logLevel.WARN,
    // Retries at most 2 s apart (kafkajs' default grows to 30 s), so a client is back within
    // about 2 s of a broker's return (live delivery 7.8 s after a 20 s stop, 24.7 s before).
    retry: { retries: 10, initialRetryTime: 200, maxRetryTime: 2_000 },
    logCreator:
      () =>
      ({ level, log }: LogEntry) => {
        const { message, ...rest } = log;
        kafkaLogger[LEVELS[level] ?? 'info'](rest, message);
      },
  });
}

function saslOptions({ mechanism, username, password }: KafkaSasl): SASLOptions {
  switch (mechanism) {
    case 'plain':
      return { mechanism, username, password };
    case 'scram-sha-256':
      return { mechanism, username, password };
    case 'scram-sha-512':
      return { mechanism, username, password };
  }
}

/** An idempotent producer: broker-side dedupe of retried sends, order kept per partition. */
export async function connectProducer(kafka: Kafka): Promise<Producer> {
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  return producer;
}

/**
 * Creates the topics that do not exist yet; existing ones are left as they are. With `create`
 * false (the operator creates them) a missing topic is an error naming it, so the pod restarts
 * until the operator has created it.
 */
export async function ensureTopics(
  kafka: Kafka,
  specs: readonly TopicSpec[],
  replicationFactor = 1,
  create = true,
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((spec) => !existing.has(spec.name));
    if (missing.length === 0) return;
    if (!create) {
      throw new Error(
        `Kafka topics missing: ${missing.map((spec) => spec.name).join(', ')} (KAFKA_CREATE_TOPICS=false: the operator creates them)`,
      );
    }
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((spec) => ({
        topic: spec.name,
        numPartitions: spec.partitions,
        replicationFactor,
        configEntries: [{ name: 'retention.ms', value: String(spec.retentionMs) }],
      })),
    });
  } finally {
    await admin.disconnect();
  }
}
