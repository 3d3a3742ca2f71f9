import { mongoose } from '@messenger/platform';
import type { SystemEvent } from '@messenger/contracts';
import { positionKey } from './log-position.js';

/** A file on a message, as the upload recorded it; views add its signed URL. */
export interface MessageAttachment {
  id: string;
  mimeType: string;
  size: number;
  width?: number | undefined;
  height?: number | undefined;
}

/** The message a reply quotes; views add its snippet as it is now. */
export interface QuotedMessage {
  id: string;
  seq: number;
  senderId: string;
}

/**
 * `_id` is `<chatId>:<seq, zero-padded>`, so the primary key is the (chat, seq) pair: it makes
 * seq unique per chat and lets every read name a message by key. A stored message is also its
 * own `message.sent` outbox record (see outbox/log-relay.ts); `traceparent` carries the sender's
 * trace to the relay. A message is inserted once; afterwards only its changes write to it
 * (change-writes.ts): `content`, `editedAt` and `lastChangeSeq` from an edit, and the
 * scrub of a delete, which every later writer re-applies, so no write can bring content back.
 */
export interface MessageDoc {
  _id: string;
  id: string;
  chatId: string;
  seq: number;
  type: 'user' | 'system';
  senderId: string;
  clientMsgId: string;
  content: string;
  mediaUrl: string | null;
  system: SystemEvent | null;
  createdAt: Date;
  traceparent: string | null;
  // Absent from messages stored before replies, attachments and changes existed.
  replyTo?: QuotedMessage | null;
  attachments?: MessageAttachment[];
  editedAt?: Date | null;
  deleted?: boolean;
  /** The chat's change position last applied to this document (0 or absent: none). */
  lastChangeSeq?: number;
}

export const messageSchema: mongoose.Schema<MessageDoc> = new mongoose.Schema<MessageDoc>(
  {
    _id: { type: String, required: true },
    id: { type: String, required: true },
    chatId: { type: String, required: true },
    seq: { type: Number, required: true },
    type: { type: String, enum: ['user', 'system'], default: 'user' },
    senderId: { type: String, required: true },
    clientMsgId: { type: String, required: true },
    content: { type: String, default: '' },
    mediaUrl: { type: String, default: null },
    system: { type: mongoose.Schema.Types.Mixed, default: null },
    replyTo: { type: mongoose.Schema.Types.Mixed, default: null },
    attachments: { type: mongoose.Schema.Types.Mixed, default: [] },
    createdAt: { type: Date, required: true },
    traceparent: { type: String, default: null },
    editedAt: { type: Date, default: null },
    deleted: { type: Boolean, default: false },
    lastChangeSeq: { type: Number, default: 0 },
  },
  { collection: 'messages', versionKey: false },
);
// Idempotent send: one message per (chat, sender, client message id).
messageSchema.index({ chatId: 1, senderId: 1, clientMsgId: 1 }, { unique: true });
// Receipts name a message by its public id.
messageSchema.index({ id: 1 }, { unique: true });

export function messageKey(chatId: string, seq: number): string {
  return positionKey(chatId, seq);
}
