import { randomUUID } from 'node:crypto';
import { isDuplicateKeyError, problems } from '@messenger/platform';
import type { RelationshipPolicy } from '../contact/policy.js';
import { ensureMarks } from '../messages/marks.js';
import type { ChatDoc } from '../store/chat-model.js';
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
    const chat = newChat(id, 'direct', null, [userId, otherId], []);
    if (!(await this.insert(chat))) {
      const raced = await this.store.chats.findById(id).lean<ChatDoc>();
      if (raced) return { chat: raced, created: false };
    }
    this.notifier.changed(chat, chat.memberIds);
    return { chat, created: true };
  }

  async group(userId: string, name: string, memberIds: string[]): Promise<ChatDoc> {
    const others = [...new Set(memberIds)].filter((id) => id !== userId);
    await Promise.all(others.map((id) => this.policy.assertFriends(userId, id)));
    const chat = newChat(randomUUID(), 'group', name, [userId, ...others], [userId]);
    await this.insert(chat);
    this.notifier.changed(chat, chat.memberIds);
    return chat;
  }

  /** Marks first, then the chat: a member never lacks marks. False when the id was taken. */
  private async insert(chat: ChatDoc): Promise<boolean> {
    await ensureMarks(this.store, chat._id, chat.memberIds);
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
  memberIds: string[],
  adminIds: string[],
): ChatDoc {
  const now = new Date();
  return {
    _id: id,
    type,
    name,
    memberIds,
    adminIds,
    lastSeq: 0,
    sentUpTo: {},
    lastActivityAt: now,
    createdAt: now,
  };
}
