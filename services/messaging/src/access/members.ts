import type { MemberDoc } from '../store/member-model.js';
import type { Store } from '../store/store.js';

/** At most this many of a user's chats are listed (the conversations list reads them all). */
export const MAX_LISTED_CHATS = 2000;

/** A chat's members in joining order; MongoDB index `{chatId: 1, joinedAt: 1}`. */
export function membersOf(store: Store, chatId: string): Promise<MemberDoc[]> {
  return store.members.find({ chatId }).sort({ joinedAt: 1, _id: 1 }).lean<MemberDoc[]>().exec();
}

/** A user's memberships; MongoDB index `{userId: 1, chatId: 1}`. */
export function membershipsOf(store: Store, userId: string): Promise<MemberDoc[]> {
  return store.members.find({ userId }).limit(MAX_LISTED_CHATS).lean<MemberDoc[]>().exec();
}
