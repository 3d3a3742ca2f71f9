import { problems } from '@messenger/platform';
import type { ChatDoc } from '../store/chat-model.js';
import { memberKey, type MemberDoc } from '../store/member-model.js';
import type { Store } from '../store/store.js';

export interface Membership {
  chat: ChatDoc;
  member: MemberDoc;
}

/**
 * The chat and the user's membership; 404 for a non-member, so others cannot tell the chat
 * exists. Two bare `_id` lookups: the membership is its own document.
 */
export async function requireMember(
  store: Store,
  chatId: string,
  userId: string,
): Promise<Membership> {
  const [chat, member] = await Promise.all([
    store.chats.findById(chatId).lean<ChatDoc>(),
    store.members.findById(memberKey(chatId, userId)).lean<MemberDoc>(),
  ]);
  if (!chat || !member) throw problems.notFound('No such chat.');
  return { chat, member };
}

export function requireGroupAdmin({ chat, member }: Membership): void {
  requireGroup(chat);
  if (member.role !== 'admin')
    throw problems.forbidden('Only an admin of the group may do this.', 'not_admin');
}

export function requireGroup(chat: ChatDoc): void {
  if (chat.type !== 'group')
    throw problems.forbidden('A direct chat has exactly its two members.', 'not_a_group');
}
