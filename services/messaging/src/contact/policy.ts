import { pairStateSchema, relationshipCacheKey } from '@messenger/contracts';
import { problems, type Redis } from '@messenger/platform';
import type { ContactClient, Relationship } from './contact-client.js';

/**
 * Who may talk to whom: an accepted friendship and no block either way (docs/api.md). Read from
 * contact's relationship cache when it holds the pair (packages/contracts relationship-cache.ts),
 * which contact empties before it answers any change, so a block or an unfriending still stops
 * the very next send; otherwise asked of contact, which fills the cache.
 */
export class RelationshipPolicy {
  constructor(
    private readonly contact: ContactClient,
    private readonly redis: Redis,
  ) {}

  async assertFriends(userId: string, otherId: string): Promise<void> {
    const relationship =
      (await this.cached(userId, otherId)) ?? (await this.contact.relationship(userId, otherId));
    if (relationship.blockedByA || relationship.blockedByB)
      throw problems.forbidden('One of you blocks the other.', 'blocked');
    if (!relationship.friends) throw problems.forbidden('You are not friends.', 'not_friends');
  }

  /** The cached relationship of a to b; undefined when the cache has none (or cannot answer). */
  private async cached(a: string, b: string): Promise<Relationship | undefined> {
    try {
      const value = await this.redis.hget(relationshipCacheKey(a, b), 'value');
      if (!value) return undefined;
      const state = pairStateSchema.parse(JSON.parse(value));
      const aIsLow = a < b;
      return {
        friends: state.friends,
        blockedByA: aIsLow ? state.blockedByLow : state.blockedByHigh,
        blockedByB: aIsLow ? state.blockedByHigh : state.blockedByLow,
      };
    } catch {
      return undefined;
    }
  }
}
