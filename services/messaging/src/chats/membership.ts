import { isDuplicateKeyError, problems } from '@messenger/platform';
import type { RelationshipPolicy } from '../contact/policy.js';
import type { MessageSender } from '../messages/send-message.js';
import type { ChatDoc } from '../store/chat-model.js';
import { memberKey } from '../store/member-model.js';
import type { Store } from '../store/store.js';
import { requireGroup, requireGroupAdmin, requireMember } from '../access/chat-access.js';
import type { ChatMembers } from '../access/chat-members.js';
import type { ChatNotifier } from './chat-notifier.js';
import { keepAnAdmin } from './group-admin.js';
import { membersOf } from '../access/members.js';

/**
 * The most members a group takes. Checked before the insert, so adds racing at the limit may
 * pass it by the number of racers: a bound on size, not an exact quota.
 */
export const MAX_GROUP_MEMBERS = 500;

/**
 * Group membership: admins add their friends; members leave; admins remove anyone. A change is
 * the insert or delete of the member's own document, then a system message at the chat's next
 * seq, so history tells the group's story in order and the relay fans the change out.
 */
export class Membership {
  constructor(
    private readonly store: Store,
    private readonly members: ChatMembers,
    private readonly policy: RelationshipPolicy,
    private readonly sender: MessageSender,
    private readonly notifier: ChatNotifier,
  ) {}

  async add(adminId: string, chatId: string, userId: string): Promise<ChatDoc> {
    const membership = await requireMember(this.store, chatId, adminId);
    requireGroupAdmin(membership);
    const { chat } = membership;
    const key = memberKey(chatId, userId);
    if (await this.store.members.exists({ _id: key })) return chat;
    await this.policy.assertFriends(adminId, userId);
    if ((await membersOf(this.store, chatId)).length >= MAX_GROUP_MEMBERS)
      throw problems.conflict('group_full', `A group has at most ${MAX_GROUP_MEMBERS} members.`);
    try {
      await this.store.members.create({
        _id: key,
        chatId,
        userId,
        role: 'member',
        joinedAt: new Date(),
      });
    } catch (error) {
      if (isDuplicateKeyError(error)) return chat;
      throw error;
    }
    await this.members.changed(chatId);
    await this.sender.appendSystem(chatId, {
      event: 'joined',
      actorId: adminId,
      subjectId: userId,
    });
    this.notifier.changed(chat);
    return chat;
  }

  async remove(actorId: string, chatId: string, userId: string): Promise<void> {
    const membership = await requireMember(this.store, chatId, actorId);
    requireGroup(membership.chat);
    if (userId !== actorId) requireGroupAdmin(membership);
    const { deletedCount } = await this.store.members.deleteOne({ _id: memberKey(chatId, userId) });
    if (deletedCount === 0) {
      if (userId === actorId) return; // a concurrent removal of the same member
      throw problems.notFound('No such member.');
    }
    await this.members.changed(chatId);
    await this.sender.appendSystem(chatId, {
      event: userId === actorId ? 'left' : 'removed',
      actorId,
      subjectId: userId,
    });
    await keepAnAdmin(this.store, this.members, this.sender, chatId, actorId);
    this.notifier.changed(membership.chat);
  }
}
