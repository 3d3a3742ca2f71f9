import { mongoOutboxField, mongoose, type MongoOutboxEntry } from '@messenger/platform';

export interface Mark {
  upToSeq: number;
  at: Date | null;
}

/** One member's delivered and read high-water marks in one chat; `_id` is `<chatId>:<userId>`. */
export interface MarksDoc {
  _id: string;
  chatId: string;
  userId: string;
  delivered: Mark;
  read: Mark;
  outbox?: MongoOutboxEntry[];
}

const markField = {
  type: new mongoose.Schema<Mark>(
    { upToSeq: { type: Number, required: true }, at: { type: Date, default: null } },
    { _id: false },
  ),
  default: () => ({ upToSeq: 0, at: null }),
};

export const marksSchema = new mongoose.Schema<MarksDoc>(
  {
    _id: { type: String, required: true },
    chatId: { type: String, required: true },
    userId: { type: String, required: true },
    delivered: markField,
    read: markField,
    outbox: mongoOutboxField,
  },
  { collection: 'marks', versionKey: false },
);

export function marksKey(chatId: string, userId: string): string {
  return `${chatId}:${userId}`;
}
