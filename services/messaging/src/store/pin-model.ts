import { mongoose } from '@messenger/platform';

/** A pinned message: `_id` is `<chatId>:<messageId>`; pinning inserts, unpinning deletes. */
export interface PinDoc {
  _id: string;
  chatId: string;
  messageId: string;
  messageSeq: number;
  pinnedBy: string;
  pinnedAt: Date;
}

export const pinSchema = new mongoose.Schema<PinDoc>(
  {
    _id: { type: String, required: true },
    chatId: { type: String, required: true },
    messageId: { type: String, required: true },
    messageSeq: { type: Number, required: true },
    pinnedBy: { type: String, required: true },
    pinnedAt: { type: Date, required: true },
  },
  { collection: 'pins', versionKey: false },
);
// A chat's pins.
pinSchema.index({ chatId: 1 });

export function pinKey(chatId: string, messageId: string): string {
  return `${chatId}:${messageId}`;
}
