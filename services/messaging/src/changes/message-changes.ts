import { isDuplicateKeyError, problems } from '@messenger/platform';
import { MAX_DISTINCT_REACTIONS, type Message } from '@messenger/contracts';
import type { ChatAccess, Membership } from '../access/chat-access.js';
import { requireMember } from '../access/chat-access.js';
import { requireChatMessage } from '../access/chat-message.js';
import type { RelationshipPolicy } from '../contact/policy.js';
import { userRoom, type MessagingServer } from '../socket-types.js';
import type { ChatDoc } from '../store/chat-model.js';
import { hiddenKey } from '../store/hidden-model.js';
import { messageKey, type MessageAttachment, type MessageDoc } from '../store/message-model.js';
import { findByKeyRange, type Store } from '../store/store.js';
import type { MessageReader } from '../views/message-reader.js';
import { tombstone } from '../views/message-view.js';
import { applyEdit, scrub } from '../store/change-writes.js';
import type { ChangeLog } from './change-log.js';
import type { HideLog } from './hide-log.js';

export interface MessageChangesDeps {
  store: Store;
  access: ChatAccess;
  changes: ChangeLog;
  hides: HideLog;
  reader: MessageReader;
  policy: RelationshipPolicy;
  io: MessagingServer;
  /** How long after sending its author may edit a message. */
  editWindowMs: number;
  /** Deletes the files of a message deleted for everyone from the object store. */
  discardAttachments: (chatId: string, attachments: readonly MessageAttachment[]) => Promise<void>;
}

/**
 * Edits, deletes and reactions (docs/api.md, "Changing messages"). Each change is first a record
 * in the chat's change order, then written into what it changes, so `sync` and the relay see
 * every change and a writer that dies between the two is finished by the relay. A repeat of a
 * change that is already in place (the same text, a second delete, a reaction that exists)
 * changes nothing and answers as the first did.
 */
export class MessageChanges {
  constructor(private readonly deps: MessageChangesDeps) {}

  async edit(userId: string, chatId: string, messageId: string, content: string): Promise<Message> {
    const { chat } = await this.deps.access.requireMember(chatId, userId);
    const message = await requireChatMessage(this.deps.store, chatId, messageId);
    if (message.senderId !== userId || message.type !== 'user')
      throw problems.forbidden('Only the author may edit a message.', 'not_author');
    if (message.deleted) throw problems.conflict('message_deleted', 'The message was deleted.');
    if (Date.now() - message.createdAt.getTime() > this.deps.editWindowMs)
      throw problems.forbidden('The message is too old to edit.', 'edit_window_passed');
    if (message.content === content) return this.deps.reader.view(userId, message);
    await this.assertMayTalk(chat, userId);
    const edit = await this.deps.changes.append(chatId, {
      kind: 'edited',
      messageId,
      messageSeq: message.seq,
      actorId: userId,
      content,
      emoji: null,
      added: null,
    });
    await applyEdit(this.deps.store, message, edit);
    return this.deps.reader.view(
      userId,
      await requireChatMessage(this.deps.store, chatId, messageId),
    );
  }

  /** For everyone: the author, or an admin of the group. For oneself: any member. */
  async delete(
    userId: string,
    chatId: string,
    messageId: string,
    scope: 'everyone' | 'me',
  ): Promise<void> {
    if (scope === 'me') return this.hide(userId, chatId, messageId);
    // Read from the store, not remembered: an admin's right to delete rests on the current role.
    const membership = await requireMember(this.deps.store, chatId, userId);
    const message = await requireChatMessage(this.deps.store, chatId, messageId);
    if (message.type !== 'user') throw problems.forbidden('A system message stays.', 'not_author');
    if (message.senderId !== userId && !isGroupAdmin(membership))
      throw problems.forbidden('Only the author or an admin may delete this.', 'not_author');
    if (message.deleted) return;
    await this.deps.changes.append(chatId, {
      kind: 'deleted',
      messageId,
      messageSeq: message.seq,
      actorId: userId,
      content: null,
      emoji: null,
      added: null,
    });
    await scrub(this.deps.store, message);
    await this.deps.discardAttachments(chatId, message.attachments ?? []);
  }

  /** Adds (`add`) or takes back one reaction of the user. */
  async react(
    userId: string,
    chatId: string,
    messageId: string,
    emoji: string,
    add: boolean,
  ): Promise<void> {
    const { chat } = await this.deps.access.requireMember(chatId, userId);
    const message = await requireChatMessage(this.deps.store, chatId, messageId);
    const key = `${message._id}:${userId}:${emoji}`;
    const exists = await this.deps.store.reactions.exists({ _id: key });
    if (add === Boolean(exists)) return;
    if (add) {
      if (message.deleted) throw problems.conflict('message_deleted', 'The message was deleted.');
      await this.assertMayTalk(chat, userId);
      await this.assertRoomFor(message, emoji);
    }
    // The change goes first: a writer that dies after it announces the reaction's state as it
    // is, which is harmless; the other order could leave a reaction that nobody hears of.
    await this.deps.changes.append(chatId, {
      kind: 'reacted',
      messageId,
      messageSeq: message.seq,
      actorId: userId,
      content: null,
      emoji,
      added: add,
    });
    if (!add) {
      await this.deps.store.reactions.deleteOne({ _id: key });
      return;
    }
    try {
      await this.deps.store.reactions.create({
        _id: key,
        chatId,
        messageSeq: message.seq,
        userId,
        emoji,
        at: new Date(),
      });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  }

  /**
   * Hidden for the user alone: a document of their own, a record in their hide log of the chat
   * (a device that was offline gets it from `sync`), and a tombstone pushed to their devices. Not
   * part of the chat's change order: the others see nothing. A writer that dies between the two
   * inserts leaves the message hidden and the log without it; that device sees it hidden when it
   * reads the message's page of history again.
   */
  private async hide(userId: string, chatId: string, messageId: string): Promise<void> {
    await this.deps.access.requireMember(chatId, userId);
    const message = await requireChatMessage(this.deps.store, chatId, messageId);
    try {
      await this.deps.store.hidden.create({
        _id: hiddenKey(userId, message._id),
        userId,
        chatId,
        messageSeq: message.seq,
        at: new Date(),
      });
    } catch (error) {
      if (isDuplicateKeyError(error)) return;
      throw error;
    }
    await this.deps.hides.append(userId, chatId, message.seq);
    const view = tombstone(await this.deps.reader.view(userId, message));
    this.deps.io.to(userRoom(userId)).emit('message:updated', { message: view, changeSeq: null });
  }

  /** In a direct chat, a block (or an ended friendship) stops edits and reactions. */
  private async assertMayTalk(chat: ChatDoc, userId: string): Promise<void> {
    if (chat.type !== 'direct') return;
    const other = chat.pair?.find((id) => id !== userId);
    if (!other) throw problems.forbidden('This chat has no one to write to.', 'not_friends');
    await this.deps.policy.assertFriends(userId, other);
  }

  /**
   * At most MAX_DISTINCT_REACTIONS emoji per message, counted before the insert: racing new
   * emoji may pass it by the number of racers, a bound on size, not an exact quota.
   */
  private async assertRoomFor(message: MessageDoc, emoji: string): Promise<void> {
    const key = messageKey(message.chatId, message.seq);
    const reactions = await findByKeyRange(this.deps.store.reactions, `${key}:`, `${key};`);
    const distinct = new Set(reactions.map((reaction) => reaction.emoji));
    if (!distinct.has(emoji) && distinct.size >= MAX_DISTINCT_REACTIONS)
      throw problems.conflict(
        'reaction_limit',
        `A message carries at most ${MAX_DISTINCT_REACTIONS} distinct emoji.`,
      );
  }
}

export function isGroupAdmin({ chat, member }: Membership): boolean {
  return chat.type === 'group' && member.role === 'admin';
}
