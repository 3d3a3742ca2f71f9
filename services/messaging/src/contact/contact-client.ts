import { internalOperations, type Relationship } from '@messenger/contracts';
import type { ServiceClient } from '@messenger/platform';

export type { Relationship };

/**
 * The contact service's internal operations (`internalOperations` in the contracts). Asked on
 * every check rather than mirrored here: contact answers from a Redis cache it invalidates on
 * each change, so a block or an unfriending is seen by the very next send.
 */
export class ContactClient {
  constructor(private readonly contact: ServiceClient) {}

  async relationship(a: string, b: string): Promise<Relationship> {
    return (await this.contact.call(internalOperations.relationship, { query: { a, b } })).body;
  }

  async friendsOf(userId: string): Promise<string[]> {
    const result = await this.contact.call(internalOperations.friendIds, { params: { userId } });
    return result.body.items;
  }
}
