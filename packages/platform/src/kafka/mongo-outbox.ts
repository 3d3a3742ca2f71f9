import { hostname } from 'node:os';
import type { Producer } from 'kafkajs';
import type { Logger } from 'pino';
import type { Collection, Connection } from 'mongoose';
import { Counter, type Registry } from 'prom-client';
import { topicOf, type Envelope } from '@messenger/contracts';
import { createEnvelope, type NewEvent } from './envelope.js';
import { publishEvents, type OutgoingEvent } from './publish.js';
import { PollingLoop } from './polling-loop.js';
import { isDuplicateKeyError } from '../mongo.js';

/**
 * MongoDB has no transactions we may rely on (FerretDB runs locally), so an event rides in the
 * very document whose write it describes: `outbox: [entry]` is written by the same single-document
 * operation as the state change, and the relay removes entries once Kafka has them.
 */
export interface MongoOutboxEntry extends OutgoingEvent {
  id: string;
}

/** The schema definition of the embedded `outbox` array, for mongoose schemas. */
export const mongoOutboxField = {
  type: [{ _id: false, id: String, topic: String, key: String, envelope: Object }],
  default: undefined,
};

export function mongoOutboxEntry<T extends Record<string, unknown>>(
  producer: string,
  event: NewEvent<T>,
): MongoOutboxEntry {
  const envelope: Envelope = createEnvelope(producer, event);
  return { id: envelope.id, topic: topicOf(event.type).name, key: event.key, envelope };
}

export interface MongoOutboxRelayOptions {
  connection: Connection;
  /** Collections whose documents carry an `outbox` array. */
  collections: string[];
  producer: Producer;
  logger: Logger;
  registry: Registry;
  name: string;
  batchSize?: number;
  intervalMs?: number;
  leaseMs?: number;
}

interface DocWithOutbox {
  _id: unknown;
  outbox: MongoOutboxEntry[];
}

interface Lease {
  _id: string;
  owner: string;
  until: Date;
}

/**
 * One relay per service holds a lease at a time, so events go out in write order; another pod
 * takes over when the holder stops renewing. A crash after publishing and before removing the
 * entries republishes them, which idempotent consumers absorb.
 */
export class MongoOutboxRelay {
  private readonly loop: PollingLoop;
  private readonly owner = `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2)}`;
  private readonly published: Counter;

  constructor(private readonly options: MongoOutboxRelayOptions) {
    this.loop = new PollingLoop({
      name: `${options.name}-outbox-relay`,
      intervalMs: options.intervalMs ?? 100,
      logger: options.logger,
      step: () => this.relayBatch(),
    });
    this.published = new Counter({
      name: 'outbox_published_events_total',
      help: 'Events relayed from the outbox to Kafka',
      registers: [options.registry],
    });
  }

  start(): void {
    this.loop.start();
  }

  wake(): void {
    this.loop.wake();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
    await this.leases()
      .deleteOne({ _id: this.options.name, owner: this.owner })
      .catch(() => undefined);
  }

  async relayBatch(): Promise<boolean> {
    if (!(await this.holdLease())) return false;
    const limit = this.options.batchSize ?? 100;
    let full = false;
    for (const name of this.options.collections) {
      const collection = this.options.connection.collection<DocWithOutbox>(name);
      const docs = await collection
        .find({ 'outbox.0': { $exists: true } })
        .sort({ _id: 1 })
        .limit(limit)
        .toArray();
      if (docs.length === 0) continue;
      const events = docs.flatMap((doc) => doc.outbox);
      await publishEvents(this.options.producer, events);
      await Promise.all(docs.map((doc) => this.clear(collection, doc)));
      this.published.inc(events.length);
      full ||= docs.length === limit;
    }
    return full;
  }

  private async clear(collection: Collection<DocWithOutbox>, doc: DocWithOutbox): Promise<void> {
    // $pullAll of the exact entries read: FerretDB silently ignores $pull with a condition.
    await collection.updateOne({ _id: doc._id } as never, { $pullAll: { outbox: doc.outbox } });
  }

  private leases(): Collection<Lease> {
    return this.options.connection.collection<Lease>('outbox_leases');
  }

  private async holdLease(): Promise<boolean> {
    const now = new Date();
    const until = new Date(now.getTime() + (this.options.leaseMs ?? 10_000));
    try {
      const lease = await this.leases().findOneAndUpdate(
        { _id: this.options.name, $or: [{ owner: this.owner }, { until: { $lt: now } }] },
        { $set: { owner: this.owner, until } },
        { upsert: true, returnDocument: 'after' },
      );
      return lease?.owner === this.owner;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }
}
