import type { FriendRequest } from '@messenger/contracts';
import { HttpProblem, problems, type Page, type Pool } from '@messenger/platform';
import { insertFriendship } from './friendship-store.js';
import type { PairChange, PairWriter } from './pair-writer.js';
import { readPairState } from './pair-state.js';
import type { ProfileClient } from './profile-client.js';
import {
  answerRequest,
  deleteRequest,
  findPendingRequest,
  findRequest,
  insertRequest,
  listPendingRequests,
  type Direction,
} from './request-store.js';
import { beforeSeqOf, toPage } from './seq-page.js';

export type RequestTarget = { userId: string } | { nickname: string };

const notFound = () => problems.notFound('No such friend request.');
const notPending = () =>
  problems.conflict('request_not_pending', 'The friend request was already answered.');

/** Accepts a pending request: the request is answered and the friendship exists, in one change. */
async function acceptPending(
  { client, pair, emit }: PairChange,
  request: FriendRequest,
): Promise<FriendRequest> {
  const accepted = await answerRequest(client, request.id, 'accepted');
  const since = await insertFriendship(client, pair);
  await emit('friendship.accepted', {
    requestId: request.id,
    fromUserId: request.fromUserId,
    toUserId: request.toUserId,
    since,
  });
  return accepted;
}

export class FriendRequests {
  constructor(
    private readonly pool: Pool,
    private readonly pairs: PairWriter,
    private readonly profiles: ProfileClient,
  ) {}

  /**
   * Sends a request, or accepts the target's pending request to the sender. `created` tells
   * which: a new pending request, or the target's request now accepted.
   */
  async send(
    senderId: string,
    target: RequestTarget,
  ): Promise<{ request: FriendRequest; created: boolean }> {
    const targetId = await this.resolve(senderId, target);
    return this.pairs.change(senderId, targetId, async (change) => {
      const state = await readPairState(change.client, change.pair);
      if (state.blockedByLow || state.blockedByHigh) {
        throw problems.forbidden('One of you has blocked the other.', 'blocked');
      }
      if (state.friends) throw problems.conflict('already_friends', 'You are already friends.');
      const pending = await findPendingRequest(change.client, change.pair);
      if (pending?.fromUserId === senderId) {
        throw problems.conflict('request_pending', 'You already asked; the request is pending.');
      }
      if (pending) return { request: await acceptPending(change, pending), created: false };
      const request = await insertRequest(change.client, senderId, targetId);
      await change.emit('friendship.created', {
        requestId: request.id,
        fromUserId: request.fromUserId,
        toUserId: request.toUserId,
        createdAt: request.createdAt,
      });
      return { request, created: true };
    });
  }

  /** Only the recipient may accept; to anyone else the request does not exist. */
  accept(userId: string, requestId: string): Promise<FriendRequest> {
    return this.settlePending(userId, requestId, 'toUserId', async (change, request) =>
      acceptPending(change, request),
    );
  }

  reject(userId: string, requestId: string): Promise<FriendRequest> {
    return this.settlePending(userId, requestId, 'toUserId', ({ client }, request) =>
      answerRequest(client, request.id, 'rejected'),
    );
  }

  /** Only the sender may cancel. */
  async cancel(userId: string, requestId: string): Promise<void> {
    await this.settlePending(userId, requestId, 'fromUserId', async ({ client }, request) => {
      await deleteRequest(client, request.id);
      return request;
    });
  }

  async list(
    userId: string,
    direction: Direction,
    limit: number,
    cursor: string | undefined,
  ): Promise<Page<FriendRequest>> {
    const rows = await listPendingRequests(
      this.pool,
      userId,
      direction,
      beforeSeqOf(cursor),
      limit + 1,
    );
    return toPage(rows, limit);
  }

  private async resolve(senderId: string, target: RequestTarget): Promise<string> {
    const unknown = () => problems.notFound('No user has that nickname or id.');
    let targetId: string;
    if ('nickname' in target) {
      const profile = await this.profiles.byNickname(target.nickname);
      if (!profile) throw unknown();
      targetId = profile.userId;
    } else {
      targetId = target.userId;
    }
    if (targetId === senderId) {
      throw new HttpProblem(409, 'self_request', 'You cannot send a friend request to yourself.');
    }
    if ('userId' in target && !(await this.profiles.exists(targetId))) throw unknown();
    return targetId;
  }

  private async settlePending(
    userId: string,
    requestId: string,
    party: 'fromUserId' | 'toUserId',
    work: (change: PairChange, request: FriendRequest) => Promise<FriendRequest>,
  ): Promise<FriendRequest> {
    const found = await findRequest(this.pool, requestId);
    if (found?.[party] !== userId) throw notFound();
    return this.pairs.change(found.fromUserId, found.toUserId, async (change) => {
      const request = await findRequest(change.client, requestId);
      if (!request) throw notFound();
      if (request.status !== 'pending') throw notPending();
      return work(change, request);
    });
  }
}
