import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { SpanKind, trace } from '@opentelemetry/api';
import { startTelemetry } from '../telemetry.js';
import { allTopics } from '@messenger/contracts';
import { createPgPool, migrate, platformMigrationsDir, withTransaction } from '../postgres.js';
import { createRegistry } from '../metrics.js';
import { createTestDatabase, uniqueName } from '@messenger/testkit/stack';
import { eventually } from '@messenger/testkit/eventually';
import { consumeOwnEvents, kafka, logger } from '@messenger/testkit/kafka';
import { connectProducer, ensureTopics } from './client.js';
import { enqueueEvent, PgOutboxRelay } from './pg-outbox.js';

const exporter = new InMemorySpanExporter();
const sdk = startTelemetry('platform-test', {
  spanProcessors: [new SimpleSpanProcessor(exporter)],
});

after(() => sdk.shutdown());

test('one trace follows an event from the request through the outbox and Kafka to the consumer', async () => {
  const database = await createTestDatabase('trace');
  const pool = createPgPool(database.url, logger);
  await migrate(pool, { platform: platformMigrationsDir }, logger);
  await ensureTopics(kafka, allTopics);
  const producer = await connectProducer(kafka);
  const producerName = uniqueName('trace-test');
  let handledIn: { traceId: string; spanId: string } | undefined;
  const consumer = await consumeOwnEvents(producerName, () => {
    handledIn = trace.getActiveSpan()?.spanContext();
    return Promise.resolve();
  });
  const relay = new PgOutboxRelay({
    pool,
    producer,
    logger,
    registry: createRegistry('trace-test'),
  });
  try {
    const root = await trace.getTracer('test').startActiveSpan('POST /things', async (span) => {
      await withTransaction(pool, (client) =>
        enqueueEvent(client, producerName, {
          type: 'user.email_verified',
          key: 'k',
          data: { userId: 'traced' },
        }),
      );
      span.end();
      return span.spanContext();
    });
    await relay.relayBatch();
    const handled = await eventually(() => handledIn, 30_000, 'the consumer to handle the event');

    const spans = exporter.getFinishedSpans();
    const publish = spans.find(
      (s) => s.kind === SpanKind.PRODUCER && s.name === 'messenger.user.v1 publish',
    );
    const process = await eventually(
      () =>
        exporter
          .getFinishedSpans()
          .find((s) => s.kind === SpanKind.CONSUMER && s.spanContext().spanId === handled.spanId),
      5_000,
      'the consumer span to end',
    );
    assert.ok(publish, 'a producer span was recorded');
    assert.equal(handled.traceId, root.traceId);
    assert.equal(publish.spanContext().traceId, root.traceId);
    assert.equal(publish.parentSpanContext?.spanId, root.spanId);
    assert.equal(process.parentSpanContext?.spanId, publish.spanContext().spanId);
  } finally {
    await consumer.disconnect();
    await producer.disconnect();
    await pool.end();
    await database.drop();
  }
});
