import { mongoose } from '@messenger/platform';

/**
 * `_id` is `<chatId>:<seq, zero-padded>`, so the primary key is the (chat, seq) pair: it makes
 * seq unique per chat, serves history as one `_id` range and lets the relay read a chat's next
 * message by key. A stored message is also its own `message.sent` outbox record (see
 * outbox/message-relay.ts); `traceparent` carries the sender's trace to the relay.
 */
export interface MessageDoc {
  _id: string;
  id: string;
  chatId: string;
  seq: number;
  senderId: string;
  clientMsgId: string;
  content: string;
  mediaUrl: string | null;
  createdAt: Date;
  traceparent: string | null;
}

export const messageSchema = new mongoose.Schema<MessageDoc>(
  {
    _id: { type: String, required: true },
    id: { type: String, required: true },
    chatId: { type: String, required: true },
    seq: { type: Number, required: true },
    senderId: { type: String, required: true },
    clientMsgId: { type: String, required: true },
    content: { type: String, required: true },
    mediaUrl: { type: String, default: null },
    createdAt: { type: Date, required: true },
    traceparent: { type: String, default: null },
  },
  { collection: 'messages', versionKey: false },
);
// Idempotent send: one message per (chat, sender, client message id).
messageSchema.index({ chatId: 1, senderId: 1, clientMsgId: 1 }, { unique: true });
// Receipts name a message by its public id.
messageSchema.index({ id: 1 }, { unique: true });

const SEQ_DIGITS = 16;

export function messageKey(chatId: string, seq: number): string {
  return `${chatId}:${String(seq).padStart(SEQ_DIGITS, '0')}`;
}

/** The `_id` range of a chat's messages with afterSeq < seq < beforeSeq. */
export function messageKeyRange(
  chatId: string,
  bounds: { afterSeq?: number | undefined; beforeSeq?: number | undefined } = {},
): { $gt: string; $lt: string } {
  return {
    $gt: messageKey(chatId, bounds.afterSeq ?? 0),
    $lt: messageKey(chatId, bounds.beforeSeq ?? Number.MAX_SAFE_INTEGER),
  };
}
