import type { PairState } from '@messenger/contracts';
import type { Pool } from '@messenger/platform';
import type { GuardedCache } from '@messenger/platform';
import { pairOf } from './pair.js';
import { readPairState } from './pair-state.js';

export interface Relationship {
  friends: boolean;
  blockedByA: boolean;
  blockedByB: boolean;
}

/** "Are A and B friends, and is either blocking the other", from the cache when it can. */
export class Relationships {
  constructor(
    private readonly pool: Pool,
    private readonly cache: GuardedCache<PairState>,
  ) {}

  async between(a: string, b: string): Promise<Relationship> {
    const pair = pairOf(a, b);
    const state = await this.cache.readOne(pair.key, () => readPairState(this.pool, pair));
    const aIsLow = a === pair.low;
    return {
      friends: state.friends,
      blockedByA: aIsLow ? state.blockedByLow : state.blockedByHigh,
      blockedByB: aIsLow ? state.blockedByHigh : state.blockedByLow,
    };
  }
}
