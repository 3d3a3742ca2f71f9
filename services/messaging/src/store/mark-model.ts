import { mongoose } from '@messenger/platform';
import type { ReceiptKind } from '@messenger/contracts';

/**
 * One advance of one member's delivered or read mark in one chat. A member's advances of one kind
 * form a log with gap-free positions 1..n (`_id` is `<chatId>:<userId>:<kind>:<n, zero-padded>`),
 * each strictly above the one before, so the mark is the newest record and no advance can undo
 * another: a racing advance loses the insert of position n+1 and tries again above the winner.
 * Each record is also its own `message.seen` outbox record (`eventId` is the event's id).
 */
export interface MarkDoc {
  _id: string;
  chatId: string;
  userId: string;
  kind: ReceiptKind;
  n: number;
  upToSeq: number;
  at: Date;
  eventId: string;
  /** False for an advance nobody is told of (a sender's read mark moving past their message). */
  announce: boolean;
  traceparent: string | null;
}

export const markSchema = new mongoose.Schema<MarkDoc>(
  {
    _id: { type: String, required: true },
    chatId: { type: String, required: true },
    userId: { type: String, required: true },
    kind: { type: String, enum: ['delivered', 'read'], required: true },
    n: { type: Number, required: true },
    upToSeq: { type: Number, required: true },
    at: { type: Date, required: true },
    eventId: { type: String, required: true },
    announce: { type: Boolean, default: true },
    traceparent: { type: String, default: null },
  },
  { collection: 'marks', versionKey: false },
);

/** The log of one member's marks of one kind in one chat. */
export function markLog(chatId: string, userId: string, kind: ReceiptKind): string {
  return `${chatId}:${userId}:${kind}`;
}
