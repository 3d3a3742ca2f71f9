import { mongoose } from '@messenger/platform';
import type { MemberRole } from '@messenger/contracts';

/**
 * One member of one chat; `_id` is `<chatId>:<userId>`. Joining inserts it (the `_id` index lets
 * one add win), leaving deletes it: membership is never an update, so a leave cannot be undone
 * by a concurrent write. `role` changes only when the last admin leaves (the heir's promotion).
 */
export interface MemberDoc {
  _id: string;
  chatId: string;
  userId: string;
  role: MemberRole;
  joinedAt: Date;
}

export const memberSchema = new mongoose.Schema<MemberDoc>(
  {
    _id: { type: String, required: true },
    chatId: { type: String, required: true },
    userId: { type: String, required: true },
    role: { type: String, enum: ['admin', 'member'], required: true },
    joinedAt: { type: Date, required: true },
  },
  { collection: 'members', versionKey: false },
);
// A user's chats (the conversations list): one index range on MongoDB.
memberSchema.index({ userId: 1, chatId: 1 });
// A chat's members in joining order (views, fan-out, the heir of the last admin).
memberSchema.index({ chatId: 1, joinedAt: 1 });

export function memberKey(chatId: string, userId: string): string {
  return `${chatId}:${userId}`;
}
