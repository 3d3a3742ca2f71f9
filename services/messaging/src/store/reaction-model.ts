import { mongoose } from '@messenger/platform';

/**
 * One user's reaction with one emoji to one message: `_id` is
 * `<chatId>:<message seq, zero-padded>:<userId>:<emoji>`, so adding is an insert the `_id` index
 * makes idempotent, taking back is a delete, and a page of messages' reactions is one `_id`
 * range.
 */
export interface ReactionDoc {
  _id: string;
  chatId: string;
  messageSeq: number;
  userId: string;
  emoji: string;
  at: Date;
}

export const reactionSchema = new mongoose.Schema<ReactionDoc>(
  {
    _id: { type: String, required: true },
    chatId: { type: String, required: true },
    messageSeq: { type: Number, required: true },
    userId: { type: String, required: true },
    emoji: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'reactions', versionKey: false },
);
