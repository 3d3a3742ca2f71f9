import type { Message } from '@messenger/contracts';
import { findByIds } from '../store/by-id.js';
import type { Store } from '../store/store.js';
import { messagesBetween } from './history.js';

/** Per chat at most this many; a client that gets a full batch syncs again from there. */
export const SYNC_LIMIT_PER_CHAT = 1000;

/**
 * Every message after each given seq, chat by chat in seq order. Chats the user is not a member
 * of are left out (a client may still hold a chat it has left).
 */
export async function syncMessages(
  store: Store,
  userId: string,
  chats: { chatId: string; afterSeq: number }[],
): Promise<Message[]> {
  const found = await findByIds(
    store.chats,
    chats.map((c) => c.chatId),
  );
  const allowed = new Set(
    found.filter((chat) => chat.memberIds.includes(userId)).map((chat) => chat._id),
  );
  const batches = await Promise.all(
    chats
      .filter((c) => allowed.has(c.chatId))
      .map((c) =>
        messagesBetween(store, c.chatId, { afterSeq: c.afterSeq }, SYNC_LIMIT_PER_CHAT, 'first'),
      ),
  );
  return batches.flat();
}
