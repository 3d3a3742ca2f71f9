import type { Message } from '@messenger/contracts';
import { messageView } from '../views/message-view.js';
import { memberKey } from '../store/member-model.js';
import { findByKeys, type Store } from '../store/store.js';
import type { ChatLog } from './chat-log.js';

/** Per chat at most this many; a client that gets a full batch syncs again from there. */
export const SYNC_LIMIT_PER_CHAT = 1000;

/**
 * Every message after each given seq, chat by chat in seq order. Chats the user is not a member
 * of are left out (a client may still hold a chat it has left).
 */
export async function syncMessages(
  store: Store,
  log: ChatLog,
  userId: string,
  chats: { chatId: string; afterSeq: number }[],
): Promise<Message[]> {
  const memberships = await findByKeys(
    store.members,
    chats.map((c) => memberKey(c.chatId, userId)),
  );
  const allowed = new Set(memberships.map((member) => member.chatId));
  const batches = await Promise.all(
    chats
      .filter((c) => allowed.has(c.chatId))
      .map((c) => log.between(c.chatId, { afterSeq: c.afterSeq }, SYNC_LIMIT_PER_CHAT, 'first')),
  );
  return batches.flat().map(messageView);
}
