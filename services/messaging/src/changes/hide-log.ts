import { isDuplicateKeyError, problems } from '@messenger/platform';
import type { HideDoc } from '../store/hide-model.js';
import { findLogEnd, positionKey } from '../store/log-position.js';
import { findByKeyRange, type Store } from '../store/store.js';

const MAX_ATTEMPTS = 20;

function logKey(userId: string, chatId: string): string {
  return `${userId}:${chatId}`;
}

/**
 * Each user's deletes for themselves per chat (hide-model.ts): appended at the position after the
 * last stored one, against the `_id` index, so positions stay 1..n however the user's devices
 * race; `sync` reads it from a device's position on.
 */
export class HideLog {
  constructor(private readonly store: Store) {}

  async append(userId: string, chatId: string, messageSeq: number): Promise<void> {
    let end = await this.end(userId, chatId);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      const n = end + 1;
      try {
        await this.store.hides.create({
          _id: positionKey(logKey(userId, chatId), n),
          userId,
          chatId,
          n,
          messageSeq,
          at: new Date(),
        });
        return;
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
      end = (await findLogEnd((p) => this.lookup(userId, chatId, p), n)).position;
    }
    throw problems.unavailable('Too many deletes at once; retry.');
  }

  async end(userId: string, chatId: string): Promise<number> {
    return (await findLogEnd((p) => this.lookup(userId, chatId, p), 0)).position;
  }

  /** The hides after position `after`, at most `limit`, cut at the first position not stored. */
  async after(userId: string, chatId: string, after: number, limit: number): Promise<HideDoc[]> {
    const log = logKey(userId, chatId);
    const found = await findByKeyRange(
      this.store.hides,
      positionKey(log, after + 1),
      positionKey(log, after + limit + 1),
    );
    const gap = found.findIndex((hide, i) => hide.n !== after + 1 + i);
    return gap === -1 ? found : found.slice(0, gap);
  }

  private lookup(userId: string, chatId: string, n: number): Promise<HideDoc | null> {
    return this.store.hides
      .findById(positionKey(logKey(userId, chatId), n))
      .lean<HideDoc>()
      .exec();
  }
}
