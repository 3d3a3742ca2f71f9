import { mongoose } from '@messenger/platform';

/**
 * A message one user deleted for themselves: `_id` is `<userId>:<chatId>:<seq, zero-padded>`, so
 * hiding is an idempotent insert and a page's hidden messages are one `_id` range.
 */
export interface HiddenDoc {
  _id: string;
  userId: string;
  chatId: string;
  messageSeq: number;
  at: Date;
}

/** The key of `userId`'s hiding of the message stored at `messageKey` (message-model.ts). */
export function hiddenKey(userId: string, messageKey: string): string {
  return `${userId}:${messageKey}`;
}

export const hiddenSchema = new mongoose.Schema<HiddenDoc>(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    chatId: { type: String, required: true },
    messageSeq: { type: Number, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'hidden', versionKey: false },
);
