import { randomUUID } from 'node:crypto';
import { currentTraceparent, isDuplicateKeyError, problems } from '@messenger/platform';
import type { Message } from '@messenger/contracts';
import { requireMembership } from '../chats/chat-access.js';
import { recordInSummary } from '../chats/chat-summary.js';
import { messageView } from '../chats/chat-view.js';
import type { RelationshipPolicy } from '../contact/policy.js';
import { KeyedLane } from '../keyed-lane.js';
import type { MessagingMetrics, Transport } from '../metrics.js';
import type { OutboxWake } from '../outbox/outbox-wake.js';
import type { PendingChats } from '../outbox/pending-chats.js';
import type { ChatDoc } from '../store/chat-model.js';
import { messageKey, messageKeyRange, type MessageDoc } from '../store/message-model.js';
import type { Store } from '../store/store.js';

export interface SendInput {
  clientMsgId: string;
  content: string;
  mediaUrl?: string | undefined;
}

export interface SendResult {
  message: Message;
  /** False when the message was stored before under the same client message id. */
  created: boolean;
}

const MAX_ATTEMPTS = 50;
/** How many chats' last seqs an instance remembers (the most recently written ones). */
const REMEMBERED_CHATS = 10_000;

export interface MessageSenderDeps {
  store: Store;
  policy: RelationshipPolicy;
  pending: PendingChats;
  outbox: OutboxWake;
  metrics: MessagingMetrics;
}

/**
 * Stores messages with gap-free per-chat seqs and idempotent retries, without transactions.
 *
 * The insert of the message document is the one commit point: its `_id` is (chat, seq), so the
 * unique `_id` index lets exactly one writer take a seq, the unique (chat, sender, clientMsgId)
 * index lets a message be stored once, and the stored message is its own `message.sent` outbox
 * record. A writer tries seq s only when s-1 is known to be stored (the chat's last seq + 1, then
 * the next slot after each taken one), so a chat's stored seqs are always exactly 1..n: no gaps
 * even if a process dies at any point, and the relay publishes them in seq order by walking the
 * chat's seqs from its relayed mark. An `$inc` counter promises neither: a crash
 * or a failed insert after the increment burns a seq, and seq n+1 may be stored, and relayed,
 * before seq n. Sends to one chat are queued per instance, so only instances race each other,
 * and the queue's only store operation is the insert: the next guess is the seq this instance
 * stored last in that chat.
 */
export class MessageSender {
  private readonly lanes = new KeyedLane();
  private readonly lastStored = new Map<string, number>();

  constructor(private readonly deps: MessageSenderDeps) {}

  async send(
    userId: string,
    chatId: string,
    input: SendInput,
    transport: Transport,
  ): Promise<SendResult> {
    const chat = await requireMembership(this.deps.store, chatId, userId);
    if (chat.type === 'direct') await this.assertMayWrite(chat, userId, input);
    await this.deps.pending.mark(chatId);
    const result = await this.lanes.run(chatId, () => this.storeNext(chat, userId, input));
    if (result.created) {
      await this.deps.pending.mark(chatId);
      this.deps.outbox.nudge();
      this.deps.metrics.messagesSent.inc({ transport });
      await recordInSummary(this.deps.store, result.message);
    }
    return result;
  }

  /** Friends, no block; a retry of a message stored before a block still gets its message. */
  private async assertMayWrite(chat: ChatDoc, userId: string, input: SendInput): Promise<void> {
    const other = chat.memberIds.find((id) => id !== userId);
    if (!other) throw problems.forbidden('This chat has no one to write to.', 'not_friends');
    try {
      await this.deps.policy.assertFriends(userId, other);
    } catch (error) {
      if (await this.findStored(chat._id, userId, input.clientMsgId)) return;
      throw error;
    }
  }

  private async storeNext(chat: ChatDoc, senderId: string, input: SendInput): Promise<SendResult> {
    let seq = Math.max(chat.lastSeq, this.lastStored.get(chat._id) ?? 0) + 1;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      const message = newMessage(chat._id, seq, senderId, input);
      if (await this.insert(chat, message)) {
        this.remember(chat._id, seq);
        return { message, created: true };
      }
      const occupant = await this.deps.store.messages
        .findById(messageKey(chat._id, seq))
        .lean<MessageDoc>();
      if (occupant?.senderId === senderId && occupant.clientMsgId === input.clientMsgId)
        return { message: messageView(occupant), created: false };
      if (occupant) {
        // Another instance wrote here: jump past the chat's newest message, not one slot at a time.
        seq = Math.max(seq, await this.newestSeq(chat._id)) + 1;
        continue;
      }
      // The slot is free, so the clash was on this sender's clientMsgId: a retry.
      const stored = await this.findStored(chat._id, senderId, input.clientMsgId);
      if (stored) return { message: stored, created: false };
    }
    throw problems.unavailable('The chat is busy; retry the send with the same clientMsgId.');
  }

  private async newestSeq(chatId: string): Promise<number> {
    const newest = await this.deps.store.messages
      .findOne({ _id: messageKeyRange(chatId) }, { seq: 1 })
      .sort({ _id: -1 })
      .lean<{ seq: number }>();
    return newest?.seq ?? 0;
  }

  private remember(chatId: string, seq: number): void {
    this.lastStored.delete(chatId);
    this.lastStored.set(chatId, seq);
    const oldest = this.lastStored.keys().next();
    if (this.lastStored.size > REMEMBERED_CHATS && !oldest.done)
      this.lastStored.delete(oldest.value);
  }

  /** Stores the message; false on a unique-key clash. */
  private async insert(chat: ChatDoc, message: Message): Promise<boolean> {
    try {
      await this.deps.store.messages.create({
        ...message,
        _id: messageKey(chat._id, message.seq),
        createdAt: new Date(message.createdAt),
        traceparent: currentTraceparent(),
      });
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  private async findStored(
    chatId: string,
    senderId: string,
    clientMsgId: string,
  ): Promise<Message | undefined> {
    const doc = await this.deps.store.messages
      .findOne({ chatId, senderId, clientMsgId })
      .lean<MessageDoc>();
    return doc ? messageView(doc) : undefined;
  }
}

function newMessage(chatId: string, seq: number, senderId: string, input: SendInput): Message {
  return {
    id: randomUUID(),
    chatId,
    seq,
    senderId,
    clientMsgId: input.clientMsgId,
    content: input.content,
    mediaUrl: input.mediaUrl ?? null,
    createdAt: new Date().toISOString(),
  };
}
