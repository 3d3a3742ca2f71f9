import type { Friend } from '@messenger/contracts';
import { problems, type Page, type Pool } from '@messenger/platform';
import { allFriendIds, deleteFriendship, listFriendships } from './friendship-store.js';
import type { PairWriter } from './pair-writer.js';
import type { ProfileClient } from './profile-client.js';
import { beforeSeqOf, toPage } from './seq-page.js';

export class Friends {
  constructor(
    private readonly pool: Pool,
    private readonly pairs: PairWriter,
    private readonly profiles: ProfileClient,
  ) {}

  /** A page of friends, newest friendship first, with their current nicknames. */
  async list(userId: string, limit: number, cursor: string | undefined): Promise<Page<Friend>> {
    const rows = await listFriendships(this.pool, userId, beforeSeqOf(cursor), limit + 1);
    const page = toPage(rows, limit);
    const profiles = await this.profiles.byIds(page.items.map((entry) => entry.friendId));
    return {
      items: page.items.map((entry) => ({
        userId: entry.friendId,
        nickname: profiles.get(entry.friendId)?.nickname ?? null,
        since: entry.since,
      })),
      nextCursor: page.nextCursor,
    };
  }

  ids(userId: string): Promise<string[]> {
    return allFriendIds(this.pool, userId);
  }

  /** Ends a friendship for both sides. */
  async remove(userId: string, friendId: string): Promise<void> {
    await this.pairs.change(userId, friendId, async ({ client, pair, emit }) => {
      if (!(await deleteFriendship(client, pair))) {
        throw problems.notFound('You are not friends with that user.');
      }
      await emit('friendship.removed', { userId, friendId, reason: 'unfriended' });
    });
  }
}
