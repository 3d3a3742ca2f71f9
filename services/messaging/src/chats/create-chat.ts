import { randomUUID } from 'node:crypto';
import { isDuplicateKeyError, problems } from '@messenger/platform';
import type { MemberRole } from '@messenger/contracts';
import type { RelationshipPolicy } from '../contact/policy.js';
import type { ChatDoc } from '../store/chat-model.js';
import { memberKey } from '../store/member-model.js';
import type { Store } from '../store/store.js';
import type { ChatNotifier } from './chat-notifier.js';
import { directChatId } from './direct-chat-id.js';

export interface Created {
  chat: ChatDoc;
  /** False when the direct chat of the pair existed already. */
  created: boolean;
}

/** Opens direct chats (one per pair, friends only) and groups (of the creator's friends). */
export class ChatCreator {
  constructor(
    private readonly store: Store,
    private readonly policy: RelationshipPolicy,
    private readonly notifier: ChatNotifier,
  ) {}

  async direct(userId: string, otherId: string): Promise<Created> {
    if (otherId === userId)
      throw problems.validation([{ path: 'userId', message: 'A direct chat needs another user' }]);
    await this.policy.assertFriends(userId, otherId);
    const id = directChatId(userId, otherId);
    const existing = await this.store.chats.findById(id).lean<ChatDoc>();
    if (existing) return { chat: existing, created: false };
    const chat = newChat(id, 'direct', null, [userId, otherId].sort());
    const members = [userId, otherId].map((memberId) => ({
      userId: memberId,
      role: 'member' as const,
    }));
    if (!(await this.insert(chat, members))) {
      const raced = await this.store.chats.findById(id).lean<ChatDoc>();
      if (raced) return { chat: raced, created: false };
    }
    this.notifier.changed(chat);
    return { chat, created: true };
  }

  async group(userId: string, name: string, memberIds: string[]): Promise<ChatDoc> {
    const others = [...new Set(memberIds)].filter((id) => id !== userId);
    await Promise.all(others.map((id) => this.policy.assertFriends(userId, id)));
    const chat = newChat(randomUUID(), 'group', name, null);
    await this.insert(chat, [
      { userId, role: 'admin' },
      ...others.map((memberId) => ({ userId: memberId, role: 'member' as const })),
    ]);
    this.notifier.changed(chat);
    return chat;
  }

  /**
   * Members first, then the chat: a chat is visible only once its document exists, and then it
   * has all its first members. False when the chat's id was taken.
   */
  private async insert(
    chat: ChatDoc,
    members: { userId: string; role: MemberRole }[],
  ): Promise<boolean> {
    // One at a time (FerretDB v1 stalls under many writes in flight), in joining order.
    for (const [index, { userId, role }] of members.entries()) {
      const joinedAt = new Date(chat.createdAt.getTime() + index);
      try {
        await this.store.members.create({
          _id: memberKey(chat._id, userId),
          chatId: chat._id,
          userId,
          role,
          joinedAt,
        });
      } catch (error) {
        // A racing creation of the same direct chat: the member exists, which is all this asks.
        if (!isDuplicateKeyError(error)) throw error;
      }
    }
    try {
      await this.store.chats.create(chat);
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }
}

function newChat(
  id: string,
  type: ChatDoc['type'],
  name: string | null,
  pair: string[] | null,
): ChatDoc {
  return { _id: id, type, name, avatarUrl: null, pair, createdAt: new Date() };
}
