import { mongoose } from '@messenger/platform';

/**
 * One user's deletes for themselves in one chat, in the order they made them: a log with
 * gap-free positions 1..n (`_id` is `<userId>:<chatId>:<n, zero-padded>`, log-position.ts), so a
 * device that syncs from its position learns of the messages hidden since (the `hidden`
 * collection says what is hidden, this one when). Records are inserted once.
 */
export interface HideDoc {
  _id: string;
  userId: string;
  chatId: string;
  n: number;
  messageSeq: number;
  at: Date;
}

export const hideSchema = new mongoose.Schema<HideDoc>(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    chatId: { type: String, required: true },
    n: { type: Number, required: true },
    messageSeq: { type: Number, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'hides', versionKey: false },
);
