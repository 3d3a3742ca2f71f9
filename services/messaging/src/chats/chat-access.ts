import { problems } from '@messenger/platform';
import type { ChatDoc } from '../store/chat-model.js';
import type { Store } from '../store/store.js';

/** The chat if the user is a member; otherwise 404, so non-members cannot tell it exists. */
export async function requireMembership(
  store: Store,
  chatId: string,
  userId: string,
): Promise<ChatDoc> {
  const chat = await store.chats.findById(chatId).lean<ChatDoc>();
  if (!chat?.memberIds.includes(userId)) throw problems.notFound('No such chat.');
  return chat;
}

export function requireGroupAdmin(chat: ChatDoc, userId: string): void {
  requireGroup(chat);
  if (!chat.adminIds.includes(userId))
    throw problems.forbidden('Only an admin of the group may do this.', 'not_admin');
}

export function requireGroup(chat: ChatDoc): void {
  if (chat.type !== 'group')
    throw problems.forbidden('A direct chat has exactly its two members.', 'not_a_group');
}
