import type { EventData, EventType, PairState } from '@messenger/contracts';
import {
  enqueueEvent,
  withTransaction,
  type PgOutboxRelay,
  type Pool,
  type PoolClient,
} from '@messenger/platform';
import type { GuardedCache } from '@messenger/platform';
import { pairOf, type Pair } from './pair.js';

/** Advisory-lock namespace (the two-int form, apart from the platform's one-bigint locks). */
const PAIR_LOCK_NAMESPACE = 4_084;

export interface PairChange {
  client: PoolClient;
  pair: Pair;
  emit: <T extends EventType>(type: T, data: EventData<T>) => Promise<void>;
}

/**
 * Runs every change to the relationship of two users: one transaction holding that pair's lock,
 * so requests, answers, removals and blocks of one pair apply one at a time (the unique indexes
 * back this up), events in the outbox keyed by the pair, and the pair's cached relationship
 * invalidated once the change is committed.
 */
export class PairWriter {
  constructor(
    private readonly pool: Pool,
    private readonly relationshipCache: GuardedCache<PairState>,
    private readonly relay: PgOutboxRelay,
  ) {}

  async change<T>(a: string, b: string, work: (change: PairChange) => Promise<T>): Promise<T> {
    const pair = pairOf(a, b);
    const result = await withTransaction(this.pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [
        PAIR_LOCK_NAMESPACE,
        pair.key,
      ]);
      const emit = async <T extends EventType>(type: T, data: EventData<T>): Promise<void> => {
        await enqueueEvent(client, 'contact', { type, key: pair.key, data });
      };
      return work({ client, pair, emit });
    });
    await this.relationshipCache.invalidate(pair.key);
    this.relay.wake();
    return result;
  }
}
