import type { Producer } from 'kafkajs';
import type { Logger } from 'pino';
import type pg from 'pg';
import { Counter, Gauge, type Registry } from 'prom-client';
import { topicOf, type Envelope, type EventData, type EventType } from '@messenger/contracts';
import { createEnvelope, type NewEvent } from './envelope.js';
import { publishEvents } from './publish.js';
import { PollingLoop } from './polling-loop.js';

/**
 * Writes an event to the outbox with the caller's client, so it commits or rolls back together
 * with the state change it describes. Call inside a transaction.
 */
export async function enqueueEvent<T extends EventType>(
  client: pg.ClientBase,
  producer: string,
  event: NewEvent<T>,
): Promise<Envelope<EventData<T>>> {
  const envelope = createEnvelope(producer, event);
  await client.query('INSERT INTO outbox (id, topic, key, envelope) VALUES ($1, $2, $3, $4)', [
    envelope.id,
    topicOf(event.type).name,
    event.key,
    envelope,
  ]);
  return envelope;
}

export interface PgOutboxRelayOptions {
  pool: pg.Pool;
  producer: Producer;
  logger: Logger;
  registry: Registry;
  batchSize?: number;
  intervalMs?: number;
  /** Published rows are deleted once older than this. */
  keepPublishedMs?: number;
}

interface OutboxRow {
  id: string;
  topic: string;
  key: string;
  envelope: Envelope;
}

/** Relays leadership between pods so one batch at a time is in flight and order holds per key. */
const RELAY_LOCK_ID = 7_041_983;

/**
 * Publishes committed outbox rows to Kafka and marks them sent in the same transaction that
 * locked them. A crash after publishing and before commit republishes the batch (consumers are
 * idempotent); a crash before publishing leaves the rows pending. Nothing committed is lost.
 */
export class PgOutboxRelay {
  private readonly loop: PollingLoop;
  private readonly batchSize: number;
  private readonly published: Counter;
  private lastCleanup = 0;

  constructor(private readonly options: PgOutboxRelayOptions) {
    this.batchSize = options.batchSize ?? 100;
    this.loop = new PollingLoop({
      name: 'outbox-relay',
      // Writers wake the relay after each commit; the interval only bounds a wake that went to
      // another replica while this one held the relay lock.
      intervalMs: options.intervalMs ?? 1000,
      logger: options.logger,
      step: () => this.relayBatch(),
    });
    this.published = new Counter({
      name: 'outbox_published_events_total',
      help: 'Events relayed from the outbox to Kafka',
      registers: [options.registry],
    });
    const { pool } = options;
    new Gauge({
      name: 'outbox_pending_events',
      help: 'Events committed to the outbox and not yet published',
      registers: [options.registry],
      async collect() {
        const result = await pool.query<{ count: string }>(
          'SELECT count(*) FROM outbox WHERE published_at IS NULL',
        );
        this.set(Number(result.rows[0]?.count ?? 0));
      },
    });
  }

  start(): void {
    this.loop.start();
  }

  wake(): void {
    this.loop.wake();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Publishes one batch; resolves true when a full batch went out (more may be waiting). */
  async relayBatch(): Promise<boolean> {
    const client = await this.options.pool.connect();
    try {
      await client.query('BEGIN');
      const leader = await client.query<{ ok: boolean }>(
        'SELECT pg_try_advisory_xact_lock($1) AS ok',
        [RELAY_LOCK_ID],
      );
      if (!leader.rows[0]?.ok) {
        await client.query('ROLLBACK');
        return false;
      }
      const { rows } = await client.query<OutboxRow>(
        `SELECT id, topic, key, envelope FROM outbox WHERE published_at IS NULL
         ORDER BY created_at, id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [this.batchSize],
      );
      if (rows.length > 0) {
        await publishEvents(this.options.producer, rows);
        await client.query('UPDATE outbox SET published_at = now() WHERE id = ANY($1::uuid[])', [
          rows.map((row) => row.id),
        ]);
      }
      await this.cleanup(client);
      await client.query('COMMIT');
      this.published.inc(rows.length);
      return rows.length === this.batchSize;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  private async cleanup(client: pg.ClientBase): Promise<void> {
    const now = Date.now();
    if (now - this.lastCleanup < 60_000) return;
    this.lastCleanup = now;
    const keepMs = this.options.keepPublishedMs ?? 24 * 60 * 60 * 1000;
    await client.query(
      `DELETE FROM outbox WHERE published_at < now() - make_interval(secs => $1)`,
      [keepMs / 1000],
    );
  }
}
