import type { ChatMembers } from '../access/chat-members.js';
import { requireChatMessage } from '../access/chat-message.js';
import type { Store } from '../store/store.js';
import type { Marks } from './marks.js';

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
  members: ChatMembers,
  marks: Marks,
  chatId: string,
  messageId: string,
): Promise<Receipts> {
  const message = await requireChatMessage(store, chatId, messageId);
  const others = (await members.idsOf(chatId)).filter((id) => id !== message.senderId);
  const receipts: Receipts = { deliveredTo: [], readBy: [] };
  const found = await Promise.all(
    others.map(async (userId) => {
      const [delivered, read] = await Promise.all([
        marks.current(chatId, userId, 'delivered'),
        marks.current(chatId, userId, 'read'),
      ]);
      return { userId, delivered, read };
    }),
  );
  for (const { userId, delivered, read } of found) {
    const readAt = read && read.upToSeq >= message.seq ? read.at : null;
    const deliveredAt = delivered && delivered.upToSeq >= message.seq ? delivered.at : readAt;
    if (readAt) receipts.readBy.push({ userId, at: readAt.toISOString() });
    if (deliveredAt) receipts.deliveredTo.push({ userId, at: deliveredAt.toISOString() });
  }
  return receipts;
}
