import type { Redis } from '@messenger/platform';

const KEY = 'messaging:relay:pending';

/**
 * Chats that may hold stored messages not yet relayed. A sender marks its chat before and after
 * storing (before: so a crash right after the insert still leaves the mark; after: so a relay
 * that took the mark in between looks again). The relay takes marks off before it reads.
 */
export class PendingChats {
  constructor(private readonly redis: Redis) {}

  async mark(chatId: string): Promise<void> {
    await this.redis.sadd(KEY, chatId);
  }

  async markAll(chatIds: string[]): Promise<void> {
    if (chatIds.length > 0) await this.redis.sadd(KEY, ...chatIds);
  }

  /** Up to `count` marked chats, unmarked. */
  take(count: number): Promise<string[]> {
    return this.redis.spop(KEY, count);
  }
}
