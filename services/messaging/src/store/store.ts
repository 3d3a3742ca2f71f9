import type { Connection, Model } from 'mongoose';
import { changeSchema, type ChangeDoc } from './change-model.js';
import { chatSchema, type ChatDoc } from './chat-model.js';
import { hiddenSchema, type HiddenDoc } from './hidden-model.js';
import { hideSchema, type HideDoc } from './hide-model.js';
import { markSchema, type MarkDoc } from './mark-model.js';
import { memberSchema, type MemberDoc } from './member-model.js';
import { messageSchema, type MessageDoc } from './message-model.js';
import { pinSchema, type PinDoc } from './pin-model.js';
import { reactionSchema, type ReactionDoc } from './reaction-model.js';
import { relayHeadSchema, type RelayHeadDoc } from './relay-head-model.js';

/** Messaging's collections; services/messaging/README.md has who writes each, and why no update is lost. */
export interface Store {
  chats: Model<ChatDoc>;
  members: Model<MemberDoc>;
  messages: Model<MessageDoc>;
  marks: Model<MarkDoc>;
  relayHeads: Model<RelayHeadDoc>;
  changes: Model<ChangeDoc>;
  reactions: Model<ReactionDoc>;
  hidden: Model<HiddenDoc>;
  hides: Model<HideDoc>;
  pins: Model<PinDoc>;
}

/** The models on one connection, with their indexes built (the unique ones carry correctness). */
export async function openStore(connection: Connection): Promise<Store> {
  const store: Store = {
    chats: connection.model<ChatDoc>('Chat', chatSchema),
    members: connection.model<MemberDoc>('Member', memberSchema),
    messages: connection.model<MessageDoc>('Message', messageSchema),
    marks: connection.model<MarkDoc>('Mark', markSchema),
    relayHeads: connection.model<RelayHeadDoc>('RelayHead', relayHeadSchema),
    changes: connection.model<ChangeDoc>('Change', changeSchema),
    reactions: connection.model<ReactionDoc>('Reaction', reactionSchema),
    hidden: connection.model<HiddenDoc>('Hidden', hiddenSchema),
    hides: connection.model<HideDoc>('Hide', hideSchema),
    pins: connection.model<PinDoc>('Pin', pinSchema),
  };
  await Promise.all(Object.values(store).map((model: Model<unknown>) => model.init()));
  return store;
}

/**
 * Documents by `_id`, in the order asked, missing ones left out: one bare `_id` lookup each,
 * which both MongoDB and FerretDB serve from the primary index.
 */
export async function findByKeys<T>(model: Model<T>, keys: string[]): Promise<T[]> {
  const docs = await Promise.all(keys.map((key) => model.findById(key).lean<T>()));
  return docs.filter((doc): doc is NonNullable<typeof doc> => doc !== null);
}

/**
 * Documents with `from <= _id < to`, in `_id` order: one `_id` range, which both MongoDB and
 * FerretDB scan on the primary index.
 */
export async function findByKeyRange<T>(model: Model<T>, from: string, to: string): Promise<T[]> {
  return model
    .find({ _id: { $gte: from, $lt: to } })
    .sort({ _id: 1 })
    .lean<T[]>();
}
