import { problems } from '@messenger/platform';
import type { ContactClient } from './contact-client.js';

/** Who may talk to whom: an accepted friendship and no block either way (docs/api.md). */
export class RelationshipPolicy {
  constructor(private readonly contact: ContactClient) {}

  async assertFriends(userId: string, otherId: string): Promise<void> {
    const relationship = await this.contact.relationship(userId, otherId);
    if (relationship.blockedByA || relationship.blockedByB)
      throw problems.forbidden('One of you blocks the other.', 'blocked');
    if (!relationship.friends) throw problems.forbidden('You are not friends.', 'not_friends');
  }
}
