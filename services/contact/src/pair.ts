import { pairKey } from '@messenger/contracts';

/** Two users in canonical order: the unit every relationship change locks, caches and keys. */
export interface Pair {
  low: string;
  high: string;
  /** `<low>:<high>`: the cache key and the Kafka key of the pair's events. */
  key: string;
}

/** Ids are lower-case UUIDs, so string order is Postgres' uuid order. */
export function pairOf(a: string, b: string): Pair {
  const [low, high] = a < b ? [a, b] : [b, a];
  return { low, high, key: pairKey(low, high) };
}
