import { mongoose } from '@messenger/platform';

export type ChangeKind = 'edited' | 'deleted' | 'reacted';

/**
 * One change to one message of a chat: an edit, a delete for everyone, or a reaction added or
 * taken back. A chat's changes form a log with gap-free positions 1..n (`_id` is
 * `<chatId>:<changeSeq, zero-padded>`, see log-position.ts), the chat's change order: `sync`
 * reads it from a device's position on and the relay publishes each record as its event, so a
 * record is also its own outbox entry. Records are inserted once; a delete scrubs the content of
 * the message's earlier edits.
 */
export interface ChangeDoc {
  _id: string;
  chatId: string;
  changeSeq: number;
  kind: ChangeKind;
  messageId: string;
  messageSeq: number;
  actorId: string;
  /** An edit's new text (null once the message is deleted). */
  content: string | null;
  /** A reaction's emoji, and whether it was added or taken back. */
  emoji: string | null;
  added: boolean | null;
  at: Date;
  eventId: string;
  traceparent: string | null;
}

export const changeSchema = new mongoose.Schema<ChangeDoc>(
  {
    _id: { type: String, required: true },
    chatId: { type: String, required: true },
    changeSeq: { type: Number, required: true },
    kind: { type: String, enum: ['edited', 'deleted', 'reacted'], required: true },
    messageId: { type: String, required: true },
    messageSeq: { type: Number, required: true },
    actorId: { type: String, required: true },
    content: { type: String, default: null },
    emoji: { type: String, default: null },
    added: { type: Boolean, default: null },
    at: { type: Date, required: true },
    eventId: { type: String, required: true },
    traceparent: { type: String, default: null },
  },
  { collection: 'changes', versionKey: false },
);
// A message's edits and delete (the delete's scrub, an edit's check for a delete and for the last
// edit).
changeSchema.index({ messageId: 1, kind: 1, changeSeq: 1 });
