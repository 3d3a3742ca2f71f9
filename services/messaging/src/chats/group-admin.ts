import { problems } from '@messenger/platform';
import type { MemberRole } from '@messenger/contracts';
import { requireGroupAdmin, requireMember } from '../access/chat-access.js';
import type { ChatMembers } from '../access/chat-members.js';
import { membersOf } from '../access/members.js';
import type { MessageSender } from '../messages/send-message.js';
import type { ChatDoc } from '../store/chat-model.js';
import { memberKey, type MemberDoc } from '../store/member-model.js';
import type { Store } from '../store/store.js';
import type { ChatNotifier } from './chat-notifier.js';

export interface Rename {
  name?: string | undefined;
  avatarUrl?: string | null | undefined;
}

/**
 * A group's admins rename it, change its avatar and make members admins or members again. Each
 * change is a system message at the chat's next seq (history tells it; the relay also publishes
 * `chat.renamed` or `chat.member_role_changed` from it). A role is one field of the member's own
 * document and a name with its avatar one write of the chat's: racing changes leave one of them
 * whole, as if they had come one after the other.
 */
export class GroupAdmin {
  constructor(
    private readonly store: Store,
    private readonly members: ChatMembers,
    private readonly sender: MessageSender,
    private readonly notifier: ChatNotifier,
  ) {}

  async rename(adminId: string, chatId: string, change: Rename): Promise<ChatDoc> {
    const membership = await requireMember(this.store, chatId, adminId);
    requireGroupAdmin(membership);
    const { chat } = membership;
    const name = change.name ?? chat.name ?? '';
    const avatarUrl = change.avatarUrl === undefined ? (chat.avatarUrl ?? null) : change.avatarUrl;
    if (name === chat.name && avatarUrl === (chat.avatarUrl ?? null)) return chat;
    await this.store.chats.updateOne({ _id: chatId }, { $set: { name, avatarUrl } });
    await this.sender.appendSystem(chatId, { event: 'renamed', actorId: adminId, name, avatarUrl });
    const renamed = { ...chat, name, avatarUrl };
    this.notifier.changed(renamed);
    return renamed;
  }

  /**
   * The group keeps an admin: demoting the last one is refused. Two admins demoting each other at
   * once can still both go; the longest-standing member then becomes admin, as when the last
   * admin leaves.
   */
  async setRole(
    adminId: string,
    chatId: string,
    userId: string,
    role: MemberRole,
  ): Promise<ChatDoc> {
    const membership = await requireMember(this.store, chatId, adminId);
    requireGroupAdmin(membership);
    const { chat } = membership;
    const members = await membersOf(this.store, chatId);
    const subject = members.find((member) => member.userId === userId);
    if (!subject) throw problems.notFound('No such member.');
    if (subject.role === role) return chat;
    if (role === 'member' && members.filter((member) => member.role === 'admin').length <= 1)
      throw problems.conflict(
        'last_admin',
        'The group needs an admin; promote another member first.',
      );
    await this.store.members.updateOne({ _id: memberKey(chatId, userId) }, { $set: { role } });
    await this.members.changed(chatId);
    await this.sender.appendSystem(chatId, {
      event: 'role_changed',
      actorId: adminId,
      subjectId: userId,
      role,
    });
    await keepAnAdmin(this.store, this.members, this.sender, chatId, adminId);
    this.notifier.changed(chat);
    return chat;
  }
}

/**
 * When the group has no admin left, its longest-standing member becomes one (a system message
 * says so, by `actorId`, whose leave or demotion caused it). Read after the caller's own write,
 * so of two racing changes the later one sees the other.
 */
export async function keepAnAdmin(
  store: Store,
  members: ChatMembers,
  sender: MessageSender,
  chatId: string,
  actorId: string,
): Promise<void> {
  const current = await membersOf(store, chatId);
  const heir: MemberDoc | undefined = current[0];
  if (!heir || current.some((member) => member.role === 'admin')) return;
  await store.members.updateOne({ _id: heir._id }, { $set: { role: 'admin' } });
  await members.changed(chatId);
  await sender.appendSystem(chatId, {
    event: 'role_changed',
    actorId,
    subjectId: heir.userId,
    role: 'admin',
  });
}
