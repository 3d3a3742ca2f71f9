import { mongoose } from '@messenger/platform';
import type { ChatType } from '@messenger/contracts';

export interface ChatDoc {
  _id: string;
  type: ChatType;
  name: string | null;
  /** Members in joining order; the array is indexed for "my chats". */
  memberIds: string[];
  adminIds: string[];
  /** The highest stored seq seen so far (its message is the chat's last message). */
  lastSeq: number;
  /** Per member, the seq of their latest message: writing counts as having read up to there. */
  sentUpTo?: Record<string, number>;
  lastActivityAt: Date;
  createdAt: Date;
  /** The last seq published as `message.sent`. */
  relayedSeq?: number;
}

export const chatSchema = new mongoose.Schema<ChatDoc>(
  {
    _id: { type: String, required: true },
    type: { type: String, enum: ['direct', 'group'], required: true },
    name: { type: String, default: null },
    memberIds: { type: [String], required: true },
    adminIds: { type: [String], default: [] },
    lastSeq: { type: Number, default: 0 },
    sentUpTo: { type: mongoose.Schema.Types.Mixed, default: () => ({}) },
    lastActivityAt: { type: Date, required: true },
    createdAt: { type: Date, required: true },
    relayedSeq: { type: Number, default: 0 },
  },
  { collection: 'chats', versionKey: false },
);
// A user's chats by last activity: one index range (multikey on memberIds).
chatSchema.index({ memberIds: 1, lastActivityAt: -1, _id: -1 });
