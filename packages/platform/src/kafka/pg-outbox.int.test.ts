import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import type { Consumer, Producer } from 'kafkajs';
import type pg from 'pg';
import type { Envelope } from '@messenger/contracts';
import { createPgPool, migrate, platformMigrationsDir, withTransaction } from '../postgres.js';
import { createRegistry } from '../metrics.js';
import { createTestDatabase, uniqueName } from '@messenger/testkit/stack';
import { eventually } from '@messenger/testkit/eventually';
import { consumeOwnEvents, kafka, logger } from '@messenger/testkit/kafka';
import { writeThenDieScript } from '@messenger/testkit/scripts';
import { connectProducer, ensureTopics } from './client.js';
import { allTopics } from '@messenger/contracts';
import { idempotentPg } from './consumer.js';
import { enqueueEvent, PgOutboxRelay } from './pg-outbox.js';
import { publishEvents } from './publish.js';

let database: { url: string; drop: () => Promise<void> };
let pool: pg.Pool;
let producer: Producer;
let consumer: Consumer;
const producerName = uniqueName('outbox-test');
/** Every event as Kafka delivered it, before deduplication. */
const received: Envelope[] = [];
/** The events the idempotent handler applied. */
const deliveries: Envelope[] = [];

async function applied(): Promise<Map<string, number>> {
  const { rows } = await pool.query<{ id: string; applied: number }>(
    'SELECT id, applied FROM things',
  );
  return new Map(rows.map((row) => [row.id, row.applied]));
}

before(async () => {
  database = await createTestDatabase('outbox');
  pool = createPgPool(database.url, logger);
  await migrate(pool, { platform: platformMigrationsDir }, logger);
  await pool.query('CREATE TABLE things (id text PRIMARY KEY, applied int NOT NULL DEFAULT 0)');
  await ensureTopics(kafka, allTopics);
  producer = await connectProducer(kafka);
  const apply = idempotentPg(pool, 'things-projection', async (envelope, client) => {
    deliveries.push(envelope);
    await client.query('UPDATE things SET applied = applied + 1 WHERE id = $1', [
      envelope.data['userId'],
    ]);
  });
  consumer = await consumeOwnEvents(producerName, (envelope) => {
    received.push(envelope);
    return apply(envelope);
  });
});

after(async () => {
  await consumer.disconnect();
  await producer.disconnect();
  await pool.end();
  await database.drop();
});

test('events committed by a process killed before publishing are relayed exactly once after restart', async () => {
  const child = spawnSync(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', writeThenDieScript, database.url, producerName, '3'],
    { encoding: 'utf8' },
  );
  assert.equal(child.signal, 'SIGKILL', child.stderr);
  const pending = await pool.query<{ key: string }>(
    'SELECT key FROM outbox WHERE published_at IS NULL ORDER BY created_at',
  );
  assert.deepEqual(
    pending.rows.map((row) => row.key),
    ['thing-0', 'thing-1', 'thing-2'],
  );

  const relay = new PgOutboxRelay({
    pool,
    producer,
    logger,
    registry: createRegistry('relay-test'),
  });
  relay.start();
  try {
    const state = await eventually(
      async () => {
        const current = await applied();
        return [...current.values()].filter((n) => n === 1).length === 3 ? current : undefined;
      },
      30_000,
      'the three committed events to be applied',
    );
    assert.deepEqual(Object.fromEntries(state), { 'thing-0': 1, 'thing-1': 1, 'thing-2': 1 });
    const left = await pool.query('SELECT 1 FROM outbox WHERE published_at IS NULL');
    assert.equal(left.rowCount, 0);
  } finally {
    await relay.stop();
  }
  assert.equal(
    deliveries.some((envelope) => envelope.data['userId'] === 'rolled-back'),
    false,
  );
});

test('a redelivered event is applied once', async () => {
  const first = deliveries.find((envelope) => envelope.data['userId'] === 'thing-0');
  assert.ok(first);
  await pool.query("INSERT INTO things (id) VALUES ('marker')");
  const marker = await withTransaction(pool, (client) =>
    enqueueEvent(client, producerName, {
      type: 'user.email_verified',
      key: 'thing-0',
      data: { userId: 'marker' },
    }),
  );
  // Same key, so the duplicate and then the marker land on one partition, in that order.
  await publishEvents(producer, [
    { topic: 'messenger.user.v1', key: 'thing-0', envelope: first },
    { topic: 'messenger.user.v1', key: 'thing-0', envelope: marker },
  ]);
  await eventually(
    async () => ((await applied()).get('marker') === 1 ? true : undefined),
    30_000,
    'the marker',
  );
  assert.equal((await applied()).get('thing-0'), 1);
});

test('two relays running at once publish each event once', async () => {
  const ids = await withTransaction(pool, async (client) => {
    const envelopes = [];
    for (let i = 0; i < 20; i += 1) {
      await client.query('INSERT INTO things (id) VALUES ($1)', [`pair-${i}`]);
      envelopes.push(
        await enqueueEvent(client, producerName, {
          type: 'user.email_verified',
          key: `pair-${i}`,
          data: { userId: `pair-${i}` },
        }),
      );
    }
    return envelopes.map((envelope) => envelope.id);
  });
  const relays = [1, 2].map(
    (n) =>
      new PgOutboxRelay({
        pool,
        producer,
        logger,
        registry: createRegistry(`relay-${n}`),
        batchSize: 5,
        intervalMs: 10,
      }),
  );
  for (const relay of relays) relay.start();
  try {
    await eventually(
      () => (ids.every((id) => received.some((d) => d.id === id)) ? true : undefined),
      30_000,
      'all 20 events',
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
  } finally {
    await Promise.all(relays.map((relay) => relay.stop()));
  }
  const seen = received.filter((d) => ids.includes(d.id)).map((d) => d.id);
  assert.equal(seen.length, 20);
  assert.equal(new Set(seen).size, 20);
});
