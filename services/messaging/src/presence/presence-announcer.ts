import type { Logger } from '@messenger/platform';
import type { ContactClient } from '../contact/contact-client.js';
import { userRoom, type MessagingServer } from '../socket-types.js';

/** Tells a user's friends, and no one else, that the user came online or went offline. */
export class PresenceAnnouncer {
  constructor(
    private readonly io: MessagingServer,
    private readonly contact: ContactClient,
    private readonly logger: Logger,
  ) {}

  async announce(userId: string, online: boolean, at: Date): Promise<void> {
    try {
      const friends = await this.contact.friendsOf(userId);
      if (friends.length === 0) return;
      this.io
        .to(friends.map(userRoom))
        .emit('presence', { userId, online, lastSeenAt: at.toISOString() });
    } catch (error) {
      this.logger.warn({ err: error, userId }, 'presence change not announced');
    }
  }
}
