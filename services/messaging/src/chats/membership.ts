import { problems } from '@messenger/platform';
import type { RelationshipPolicy } from '../contact/policy.js';
import { ensureMarks } from '../messages/marks.js';
import type { ChatDoc } from '../store/chat-model.js';
import type { Store } from '../store/store.js';
import { requireGroup, requireGroupAdmin, requireMembership } from './chat-access.js';
import type { ChatNotifier } from './chat-notifier.js';

export const MAX_GROUP_MEMBERS = 500;

/** Group membership: admins add their friends; members leave; admins remove anyone. */
export class Membership {
  constructor(
    private readonly store: Store,
    private readonly policy: RelationshipPolicy,
    private readonly notifier: ChatNotifier,
  ) {}

  async add(adminId: string, chatId: string, userId: string): Promise<ChatDoc> {
    const chat = await requireMembership(this.store, chatId, adminId);
    requireGroupAdmin(chat, adminId);
    if (chat.memberIds.includes(userId)) return chat;
    await this.policy.assertFriends(adminId, userId);
    await ensureMarks(this.store, chatId, [userId]);
    const updated = await this.store.chats
      .findOneAndUpdate(
        // Still an admin, and room left, at the moment of the write.
        {
          _id: chatId,
          adminIds: adminId,
          [`memberIds.${MAX_GROUP_MEMBERS - 1}`]: { $exists: false },
        },
        { $addToSet: { memberIds: userId } },
        { returnDocument: 'after' },
      )
      .lean<ChatDoc>();
    if (!updated) {
      const now = await requireMembership(this.store, chatId, adminId);
      requireGroupAdmin(now, adminId);
      throw problems.conflict('group_full', `A group has at most ${MAX_GROUP_MEMBERS} members.`);
    }
    this.notifier.changed(updated, updated.memberIds);
    return updated;
  }

  async remove(actorId: string, chatId: string, userId: string): Promise<void> {
    const chat = await requireMembership(this.store, chatId, actorId);
    requireGroup(chat);
    if (userId !== actorId) requireGroupAdmin(chat, actorId);
    if (!chat.memberIds.includes(userId)) throw problems.notFound('No such member.');
    const updated = await this.store.chats
      .findOneAndUpdate(
        { _id: chatId, memberIds: userId },
        { $pullAll: { memberIds: [userId], adminIds: [userId] } },
        { returnDocument: 'after' },
      )
      .lean<ChatDoc>();
    if (!updated) return;
    const promoted = await this.keepAnAdmin(updated);
    this.notifier.changed(promoted, chat.memberIds);
  }

  /** When the last admin leaves, the longest-standing member becomes admin. */
  private async keepAnAdmin(chat: ChatDoc): Promise<ChatDoc> {
    const heir = chat.memberIds[0];
    if (chat.adminIds.length > 0 || heir === undefined) return chat;
    const updated = await this.store.chats
      .findOneAndUpdate(
        { _id: chat._id, 'adminIds.0': { $exists: false }, memberIds: heir },
        { $addToSet: { adminIds: heir } },
        { returnDocument: 'after' },
      )
      .lean<ChatDoc>();
    return updated ?? chat;
  }
}
