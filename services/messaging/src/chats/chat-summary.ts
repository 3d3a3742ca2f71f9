import type { Message } from '@messenger/contracts';
import type { ChatDoc } from '../store/chat-model.js';
import { messageKey, type MessageDoc } from '../store/message-model.js';
import type { Store } from '../store/store.js';
import { messageView } from './chat-view.js';

/**
 * Moves the chat's last seq, activity time and the sender's own mark forward to `message`, never
 * back (`$max`, so a bare `_id` update).
 */
export async function recordInSummary(store: Store, message: Message): Promise<void> {
  await store.chats.updateOne(
    { _id: message.chatId },
    {
      $max: {
        lastSeq: message.seq,
        lastActivityAt: new Date(message.createdAt),
        [`sentUpTo.${message.senderId}`]: message.seq,
      },
    },
  );
}

/** The last message of each chat, read by its `(chat, seq)` key. */
export async function lastMessagesOf(
  store: Store,
  chats: Pick<ChatDoc, '_id' | 'lastSeq'>[],
): Promise<Map<string, Message>> {
  const found = await Promise.all(
    chats
      .filter((chat) => chat.lastSeq > 0)
      .map((chat) =>
        store.messages.findById(messageKey(chat._id, chat.lastSeq)).lean<MessageDoc>(),
      ),
  );
  return new Map(found.filter((doc) => doc !== null).map((doc) => [doc.chatId, messageView(doc)]));
}
