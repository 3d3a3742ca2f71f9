import { z } from 'zod';

/**
 * Contact's cache of each pair's relationship, a read model messaging reads on every direct
 * send instead of asking contact over HTTP. Each entry is a Redis hash `{gen, value}` kept by the
 * platform's GuardedCache: contact drops `value` after every committed change and before it
 * answers, so a reader that finds a value sees every change answered before its read. A reader
 * that finds none asks contact (`GET /internal/relationships`), which fills the entry again.
 */
export const RELATIONSHIP_CACHE = 'relationship';

export const pairStateSchema = z.object({
  friends: z.boolean(),
  blockedByLow: z.boolean(),
  blockedByHigh: z.boolean(),
});
export type PairState = z.infer<typeof pairStateSchema>;

/** Two users' ids in canonical order, `<low>:<high>` (ids are lower-case UUIDs). */
export function pairKey(a: string, b: string): string {
  return a < b ? `${a}:${b}` : `${b}:${a}`;
}

/** The Redis key of a pair's entry. */
export function relationshipCacheKey(a: string, b: string): string {
  return `${RELATIONSHIP_CACHE}:${pairKey(a, b)}`;
}
