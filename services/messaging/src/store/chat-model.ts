import { mongoose } from '@messenger/platform';
import type { ChatType } from '@messenger/contracts';

/**
 * A chat's identity, written when the chat is created: nothing a message, a mark or a
 * membership change does touches it (those are documents of their own). Only a group's rename
 * writes to it later, `name` and `avatarUrl` together, so racing renames leave one of them
 * whole (chats/group-admin.ts). A direct chat's id is derived from its pair, whose two ids it
 * keeps in `pair`.
 */
export interface ChatDoc {
  _id: string;
  type: ChatType;
  name: string | null;
  avatarUrl: string | null;
  pair: string[] | null;
  createdAt: Date;
}

export const chatSchema = new mongoose.Schema<ChatDoc>(
  {
    _id: { type: String, required: true },
    type: { type: String, enum: ['direct', 'group'], required: true },
    name: { type: String, default: null },
    avatarUrl: { type: String, default: null },
    pair: { type: [String], default: null },
    createdAt: { type: Date, required: true },
  },
  { collection: 'chats', versionKey: false },
);
