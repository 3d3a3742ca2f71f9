import { HttpProblem, problems, type Page, type Pool } from '@messenger/platform';
import type { BlockEntry } from '@messenger/contracts';
import { deleteBlock, insertBlock, listBlocks } from './block-store.js';
import { deleteFriendship } from './friendship-store.js';
import type { PairWriter } from './pair-writer.js';
import type { ProfileClient } from './profile-client.js';
import { deletePendingRequests } from './request-store.js';
import { beforeSeqOf, toPage } from './seq-page.js';

export class Blocks {
  constructor(
    private readonly pool: Pool,
    private readonly pairs: PairWriter,
    private readonly profiles: ProfileClient,
  ) {}

  /** Blocks a user: their friendship and pending requests either way end with it. */
  async block(blockerId: string, blockedId: string): Promise<BlockEntry> {
    if (blockerId === blockedId) {
      throw new HttpProblem(409, 'self_block', 'You cannot block yourself.');
    }
    if (!(await this.profiles.exists(blockedId))) throw problems.notFound('No such user.');
    return this.pairs.change(blockerId, blockedId, async ({ client, pair, emit }) => {
      const block = await insertBlock(client, blockerId, blockedId);
      if (!block) throw problems.conflict('already_blocked', 'You already blocked that user.');
      if (await deleteFriendship(client, pair)) {
        await emit('friendship.removed', {
          userId: blockerId,
          friendId: blockedId,
          reason: 'blocked',
        });
      }
      await deletePendingRequests(client, pair);
      await emit('user.blocked', { blockerId, blockedId, createdAt: block.createdAt });
      return block;
    });
  }

  async unblock(blockerId: string, blockedId: string): Promise<void> {
    await this.pairs.change(blockerId, blockedId, async ({ client, emit }) => {
      if (!(await deleteBlock(client, blockerId, blockedId))) {
        throw problems.notFound('You have not blocked that user.');
      }
      await emit('user.unblocked', { blockerId, blockedId });
    });
  }

  async list(userId: string, limit: number, cursor: string | undefined): Promise<Page<BlockEntry>> {
    return toPage(await listBlocks(this.pool, userId, beforeSeqOf(cursor), limit + 1), limit);
  }
}
