import { mongoose } from '@messenger/platform';
import type { SystemEvent } from '@messenger/contracts';
import { positionKey } from './log-position.js';

/**
 * `_id` is `<chatId>:<seq, zero-padded>`, so the primary key is the (chat, seq) pair: it makes
 * seq unique per chat and lets every read name a message by key. A stored message is also its
 * own `message.sent` outbox record (see outbox/log-relay.ts); `traceparent` carries the sender's
 * trace to the relay. Messages are insert-only.
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
}

export const messageSchema = new mongoose.Schema<MessageDoc>(
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
    createdAt: { type: Date, required: true },
    traceparent: { type: String, default: null },
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
