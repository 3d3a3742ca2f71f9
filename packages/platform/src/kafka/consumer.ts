import { context, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { Logger } from 'pino';
import type pg from 'pg';
import { Counter, type Registry } from 'prom-client';
import { envelopeSchema, type Envelope, type TopicSpec } from '@messenger/contracts';
import { withTransaction } from '../postgres.js';
import { contextFromHeaders } from './trace.js';
import { watchConsumerLag } from './lag.js';

export type EventHandler = (envelope: Envelope) => Promise<void>;

/** One event of a batch: its envelope, and a way to run work inside its consumer span. */
export interface ConsumedEvent {
  envelope: Envelope;
  within<T>(work: () => T): T;
}

/**
 * Handles the events of one partition's batch, in offset order, together (e.g. one store
 * round trip for all of them); throwing retries the whole batch.
 */
export type BatchHandler = (events: ConsumedEvent[]) => Promise<void>;

interface ConsumerBase {
  kafka: Kafka;
  groupId: string;
  topics: readonly TopicSpec[];
  logger: Logger;
  registry: Registry;
  fromBeginning?: boolean;
  /**
   * How long the group waits for a silent member before handing its partitions to the others
   * (kafkajs' default is 30 s; brokers accept 6 s and up by default). Heartbeats every third.
   */
  sessionTimeoutMs?: number;
  /** Partitions handled at once (each still in order); kafkajs' default is one at a time. */
  partitionsConsumedConcurrently?: number;
}

export type ConsumerOptions = ConsumerBase &
  ({ handle: EventHandler; handleBatch?: never } | { handleBatch: BatchHandler; handle?: never });

const tracer = trace.getTracer('@messenger/platform/kafka');
const counters = new WeakMap<Registry, Counter<'topic' | 'result'>>();

function consumedCounter(registry: Registry): Counter<'topic' | 'result'> {
  let counter = counters.get(registry);
  if (!counter) {
    counter = new Counter({
      name: 'kafka_consumed_events_total',
      help: 'Events read from Kafka, by outcome',
      labelNames: ['topic', 'result'] as const,
      registers: [registry],
    });
    counters.set(registry, counter);
  }
  return counter;
}

function parseEnvelope(message: KafkaMessage): Envelope | undefined {
  try {
    const parsed = envelopeSchema.safeParse(JSON.parse(message.value?.toString('utf8') ?? ''));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function consumerSpan(
  options: ConsumerBase,
  topic: string,
  message: KafkaMessage,
  envelope: Envelope,
): { span: Span; parent: ReturnType<typeof contextFromHeaders> } {
  const parent = contextFromHeaders(message.headers);
  const span = tracer.startSpan(
    `${topic} process`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.destination.name': topic,
        'messaging.operation.type': 'process',
        'messaging.consumer.group.name': options.groupId,
        'messaging.message.id': envelope.id,
        'messaging.kafka.offset': Number(message.offset),
      },
    },
    parent,
  );
  return { span, parent };
}

/**
 * Consumes events in partition order, each inside a consumer span that continues the producer's
 * trace: one at a time (`handle`), or a partition's batch at once (`handleBatch`). A handler
 * that throws is retried (the offset is not committed); a message that is not a valid envelope
 * is logged and skipped so it cannot block its partition.
 */
export async function startConsumer(options: ConsumerOptions): Promise<Consumer> {
  const { logger } = options;
  const consumed = consumedCounter(options.registry);
  const sessionTimeout = options.sessionTimeoutMs ?? 30_000;
  const consumer = options.kafka.consumer({
    groupId: options.groupId,
    allowAutoTopicCreation: false,
    sessionTimeout,
    heartbeatInterval: Math.floor(sessionTimeout / 3),
  });
  await consumer.connect();
  watchConsumerLag(
    options.registry,
    options.kafka,
    options.groupId,
    options.topics.map((topic) => topic.name),
  );
  await consumer.subscribe({
    topics: options.topics.map((topic) => topic.name),
    fromBeginning: options.fromBeginning ?? true,
  });
  const envelopeOf = (topic: string, partition: number, message: KafkaMessage) => {
    const envelope = parseEnvelope(message);
    if (envelope) return envelope;
    consumed.inc({ topic, result: 'invalid' });
    logger.error(
      { topic, partition, offset: message.offset },
      'skipping a message that is not a valid event envelope',
    );
    return undefined;
  };
  const failed = (topic: string, spans: Span[], error: unknown, envelopes: Envelope[]) => {
    consumed.inc({ topic, result: 'error' }, envelopes.length);
    for (const span of spans) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
    logger.error(
      { err: error, topic, eventIds: envelopes.map((e) => e.id) },
      'event handler failed; will retry',
    );
  };
  const { handle, handleBatch } = options;
  const partitionsConsumedConcurrently = options.partitionsConsumedConcurrently ?? 1;
  if (handleBatch) {
    await consumer.run({
      partitionsConsumedConcurrently,
      eachBatch: (payload) => consumeBatch(payload, handleBatch),
    });
    return consumer;
  }
  await consumer.run({
    partitionsConsumedConcurrently,
    eachMessage: async ({ topic, partition, message }) => {
      const envelope = envelopeOf(topic, partition, message);
      if (!envelope) return;
      const { span, parent } = consumerSpan(options, topic, message, envelope);
      try {
        await context.with(trace.setSpan(parent, span), () => handle(envelope));
        consumed.inc({ topic, result: 'ok' });
      } catch (error) {
        failed(topic, [span], error, [envelope]);
        throw error;
      } finally {
        span.end();
      }
    },
  });
  return consumer;

  async function consumeBatch(payload: EachBatchPayload, handler: BatchHandler): Promise<void> {
    const { batch } = payload;
    const { topic, partition } = batch;
    const spans: Span[] = [];
    const events: ConsumedEvent[] = [];
    for (const message of batch.messages) {
      const envelope = envelopeOf(topic, partition, message);
      if (!envelope) continue;
      const { span, parent } = consumerSpan(options, topic, message, envelope);
      const spanContext = trace.setSpan(parent, span);
      spans.push(span);
      events.push({ envelope, within: (work) => context.with(spanContext, work) });
    }
    try {
      if (events.length > 0) await handler(events);
      consumed.inc({ topic, result: 'ok' }, events.length);
    } catch (error) {
      failed(
        topic,
        spans,
        error,
        events.map((e) => e.envelope),
      );
      throw error;
    } finally {
      for (const span of spans) span.end();
    }
    const last = batch.messages.at(-1);
    if (last) payload.resolveOffset(last.offset);
    await payload.heartbeat();
  }
}

/**
 * Makes a Postgres-side handler idempotent: the event id is recorded in `processed_events` in the
 * same transaction as the handler's writes, so a redelivered event is applied exactly once.
 */
export function idempotentPg(
  pool: pg.Pool,
  consumerName: string,
  handle: (envelope: Envelope, client: pg.PoolClient) => Promise<void>,
): EventHandler {
  return (envelope) =>
    withTransaction(pool, async (client) => {
      const fresh = await client.query(
        'INSERT INTO processed_events (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING',
        [consumerName, envelope.id],
      );
      if (fresh.rowCount === 1) await handle(envelope, client);
    });
}
