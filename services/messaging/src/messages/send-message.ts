import { randomUUID } from 'node:crypto';
import {
  currentTraceparent,
  isDuplicateKeyError,
  problems,
  tagActiveSpan,
} from '@messenger/platform';
import type { Message, SystemEvent } from '@messenger/contracts';
import type { ChatAccess } from '../access/chat-access.js';
import { findChatMessage } from '../access/chat-message.js';
import type { AttachmentClaims } from '../attachments/claims.js';
import { messageView } from '../views/message-view.js';
import type { MessageReader } from '../views/message-reader.js';
import type { RelationshipPolicy } from '../contact/policy.js';
import { KeyedLane } from '../keyed-lane.js';
import type { MessagingMetrics, Transport } from '../metrics.js';
import type { OutboxWake } from '../outbox/outbox-wake.js';
import type { PendingLogs } from '../outbox/pending-logs.js';
import type { ChatDoc } from '../store/chat-model.js';
import { findLogEnd } from '../store/log-position.js';
import { messageKey, type MessageAttachment, type MessageDoc } from '../store/message-model.js';
import type { Store } from '../store/store.js';
import { messageLogKey, type ChatLog } from './chat-log.js';
import type { Marks } from './marks.js';
import type { SendRate } from './send-rate.js';

export interface SendInput {
  clientMsgId: string;
  content: string;
  mediaUrl?: string | undefined;
  replyToId?: string | undefined;
  attachmentIds?: string[] | undefined;
}

export interface SendResult {
  message: Message;
  /** False when the message was stored before under the same client message id. */
  created: boolean;
}

type Draft = Pick<
  MessageDoc,
  | 'type'
  | 'senderId'
  | 'clientMsgId'
  | 'content'
  | 'mediaUrl'
  | 'system'
  | 'replyTo'
  | 'attachments'
>;

const MAX_ATTEMPTS = 50;

export interface MessageSenderDeps {
  store: Store;
  access: ChatAccess;
  log: ChatLog;
  marks: Marks;
  policy: RelationshipPolicy;
  pending: PendingLogs;
  outbox: OutboxWake;
  metrics: MessagingMetrics;
  reader: MessageReader;
  attachments: AttachmentClaims;
  rate: SendRate;
}

/**
 * Stores messages with gap-free per-chat seqs and idempotent retries, without transactions.
 *
 * The insert of the message document is the one commit point: its `_id` is (chat, seq), so the
 * unique `_id` index lets exactly one writer take a seq, the unique (chat, sender, clientMsgId)
 * index lets a message be stored once, and the stored message is its own `message.sent` outbox
 * record. A writer tries seq s only when s-1 is known to be stored (the chat's end, then past
 * the end after each clash), so a chat's stored seqs are always exactly 1..n whatever crashes.
 * An `$inc` counter promises neither: a crash or a failed insert after the increment burns a
 * seq, and seq n+1 may be stored, and relayed, before seq n. Sends to one chat are queued per
 * instance, so only instances race each other; the queue's usual store operation is the insert
 * alone, at the seq after the one this instance saw last.
 */
export class MessageSender {
  private readonly lanes = new KeyedLane();

  constructor(private readonly deps: MessageSenderDeps) {}

  async send(
    userId: string,
    chatId: string,
    input: SendInput,
    transport: Transport,
  ): Promise<SendResult> {
    await this.deps.rate.take(userId);
    const { chat } = await this.deps.access.requireMember(chatId, userId);
    if (chat.type === 'direct') await this.assertMayWrite(chat, userId, input);
    const quoted = input.replyToId ? await this.quoted(chatId, input.replyToId) : null;
    const attachments = await this.claimAttachments(userId, chatId, input);
    const result = await this.append(chatId, {
      type: 'user',
      senderId: userId,
      clientMsgId: input.clientMsgId,
      content: input.content,
      mediaUrl: input.mediaUrl ?? null,
      system: null,
      replyTo: quoted && { id: quoted.id, seq: quoted.seq, senderId: quoted.senderId },
      attachments,
    });
    if (result.message.replyTo) result.message = await this.deps.reader.withQuote(result.message);
    if (input.attachmentIds?.length)
      result.message = await this.deps.reader.withAttachmentsOf(result.message);
    tagActiveSpan(result.message);
    if (result.created) {
      this.deps.metrics.messagesSent.inc({ transport });
      // Writing counts as having read up to there; not announced, it is the sender's own view.
      await this.deps.marks.advance(chatId, userId, 'read', result.message.seq, false);
    }
    return result;
  }

  /** A membership change, in the chat's history at the next seq. */
  async appendSystem(chatId: string, event: SystemEvent): Promise<Message> {
    const { message } = await this.append(chatId, {
      type: 'system',
      senderId: event.actorId,
      clientMsgId: `system:${randomUUID()}`,
      content: '',
      mediaUrl: null,
      system: event,
      replyTo: null,
      attachments: [],
    });
    return message;
  }

  /** The files the send puts on its message; none to claim when a retry's message is stored. */
  private async claimAttachments(
    userId: string,
    chatId: string,
    input: SendInput,
  ): Promise<MessageAttachment[]> {
    const ids = input.attachmentIds ?? [];
    if (ids.length === 0 || (await this.findStored(chatId, userId, input.clientMsgId))) return [];
    return this.deps.attachments.claim({ userId, chatId, clientMsgId: input.clientMsgId }, ids);
  }

  /** The message a reply quotes: a user message of the same chat, not deleted. */
  private async quoted(chatId: string, messageId: string): Promise<MessageDoc> {
    const doc = await findChatMessage(this.deps.store, chatId, messageId);
    if (doc?.type !== 'user')
      throw problems.badRequest('reply_not_found', 'replyToId is not a message of this chat.');
    if (doc.deleted) throw problems.conflict('message_deleted', 'The message was deleted.');
    return doc;
  }

  private async append(chatId: string, draft: Draft): Promise<SendResult> {
    const log = messageLogKey(chatId);
    await this.deps.pending.mark(log);
    const result = await this.lanes.run(chatId, () => this.storeNext(chatId, draft));
    if (result.created) {
      await this.deps.pending.mark(log);
      this.deps.outbox.nudge();
    }
    return result;
  }

  /** Friends, no block; a retry of a message stored before a block still gets its message. */
  private async assertMayWrite(chat: ChatDoc, userId: string, input: SendInput): Promise<void> {
    const other = chat.pair?.find((id) => id !== userId);
    if (!other) throw problems.forbidden('This chat has no one to write to.', 'not_friends');
    try {
      await this.deps.policy.assertFriends(userId, other);
    } catch (error) {
      if (await this.findStored(chat._id, userId, input.clientMsgId)) return;
      throw error;
    }
  }

  private async storeNext(chatId: string, draft: Draft): Promise<SendResult> {
    const { ends } = this.deps.log;
    let seq = (ends.remembered(chatId)?.position ?? (await this.deps.log.lastSeq(chatId))) + 1;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      const doc = newMessage(chatId, seq, draft);
      if (await this.insert(doc)) {
        ends.note(chatId, seq, doc);
        return { message: messageView(doc), created: true };
      }
      const occupant = await this.lookup(chatId, seq);
      if (occupant?.senderId === draft.senderId && occupant.clientMsgId === draft.clientMsgId)
        return { message: messageView(occupant), created: false };
      if (occupant) {
        // Another instance wrote here: jump past the chat's end, not one slot at a time.
        const end = await findLogEnd((position) => this.lookup(chatId, position), seq);
        ends.note(chatId, end.position);
        seq = end.position + 1;
        continue;
      }
      // The slot is free, so the clash was on this sender's clientMsgId: a retry.
      const stored = await this.findStored(chatId, draft.senderId, draft.clientMsgId);
      if (stored) return { message: stored, created: false };
    }
    throw problems.unavailable('The chat is busy; retry the send with the same clientMsgId.');
  }

  private lookup(chatId: string, seq: number): Promise<MessageDoc | null> {
    return this.deps.store.messages.findById(messageKey(chatId, seq)).lean<MessageDoc>().exec();
  }

  /** Stores the message; false on a unique-key clash. */
  private async insert(doc: MessageDoc): Promise<boolean> {
    try {
      await this.deps.store.messages.create(doc);
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  /** A retry's message; MongoDB index `{chatId, senderId, clientMsgId}` (unique). */
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

function newMessage(chatId: string, seq: number, draft: Draft): MessageDoc {
  return {
    ...draft,
    _id: messageKey(chatId, seq),
    id: randomUUID(),
    chatId,
    seq,
    createdAt: new Date(),
    traceparent: currentTraceparent(),
    editedAt: null,
    deleted: false,
    lastChangeSeq: 0,
  };
}
