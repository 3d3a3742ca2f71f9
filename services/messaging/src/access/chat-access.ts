import { problems } from '@messenger/platform';
import type { ChatDoc } from '../store/chat-model.js';
import { memberKey, type MemberDoc } from '../store/member-model.js';
import type { Store } from '../store/store.js';
import type { ChatMembers } from './chat-members.js';

const REMEMBERED_CHATS = 10_000;

export interface Membership {
  chat: ChatDoc;
  member: MemberDoc;
}

/**
 * Who may read and write a chat, on the paths every message takes: the chat document is
 * remembered (chats are written once and never change) and the members come from ChatMembers,
 * whose version token makes a join or a removal visible to the very next call.
 */
export class ChatAccess {
  private readonly chats = new Map<string, ChatDoc>();

  constructor(
    private readonly store: Store,
    private readonly members: ChatMembers,
  ) {}

  /** The chat and the user's membership; 404 for a non-member, as requireMember. */
  async requireMember(chatId: string, userId: string): Promise<Membership> {
    const chat = await this.chat(chatId);
    const member = chat && (await this.members.of(chatId)).find((m) => m.userId === userId);
    if (!chat || !member) throw problems.notFound('No such chat.');
    return { chat, member };
  }

  private async chat(chatId: string): Promise<ChatDoc | null> {
    const known = this.chats.get(chatId);
    if (known) return known;
    const chat = await this.store.chats.findById(chatId).lean<ChatDoc>();
    if (!chat) return null;
    this.chats.set(chatId, chat);
    if (this.chats.size > REMEMBERED_CHATS) {
      const oldest = this.chats.keys().next();
      if (!oldest.done) this.chats.delete(oldest.value);
    }
    return chat;
  }
}

/**
 * The chat and the user's membership, read from the store; 404 for a non-member, so others
 * cannot tell the chat exists. Two bare `_id` lookups: the membership is its own document.
 * Membership changes read this way, so an admin check never rests on a remembered role.
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
