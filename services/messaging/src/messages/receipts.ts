import { problems } from '@messenger/platform';
import type { ChatDoc } from '../store/chat-model.js';
import type { MessageDoc } from '../store/message-model.js';
import type { Store } from '../store/store.js';
import { marksOfMembers } from './marks.js';

export interface Receipts {
  deliveredTo: { userId: string; at: string }[];
  readBy: { userId: string; at: string }[];
}

/**
 * Who of the current members (the sender aside) got and read one message, from their high-water
 * marks: `at` is when the mark last moved, and reading implies delivery.
 */
export async function receiptsOf(
  store: Store,
  chat: ChatDoc,
  messageId: string,
): Promise<Receipts> {
  const message = await store.messages
    .findOne({ id: messageId, chatId: chat._id }, { seq: 1, senderId: 1 })
    .lean<Pick<MessageDoc, 'seq' | 'senderId'>>();
  if (!message) throw problems.notFound('No such message.');
  const others = chat.memberIds.filter((id) => id !== message.senderId);
  const marks = await marksOfMembers(store, chat._id, others);
  const receipts: Receipts = { deliveredTo: [], readBy: [] };
  for (const userId of others) {
    const mark = marks.get(userId);
    if (!mark) continue;
    const read = mark.read.upToSeq >= message.seq && mark.read.at;
    const delivered = mark.delivered.upToSeq >= message.seq && mark.delivered.at;
    if (read) receipts.readBy.push({ userId, at: read.toISOString() });
    const deliveredAt = delivered || read;
    if (deliveredAt) receipts.deliveredTo.push({ userId, at: deliveredAt.toISOString() });
  }
  return receipts;
}
