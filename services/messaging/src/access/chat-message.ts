import { problems } from '@messenger/platform';
import type { MessageDoc } from '../store/message-model.js';
import type { Store } from '../store/store.js';

/**
 * The message with this public id (MongoDB index `{id: 1}`) when it is one of the chat's, else
 * null: a message of another chat is not found through this one.
 */
export async function findChatMessage(
  store: Store,
  chatId: string,
  messageId: string,
): Promise<MessageDoc | null> {
  const message = await store.messages.findOne({ id: messageId }).lean<MessageDoc>();
  return message?.chatId === chatId ? message : null;
}

/** The chat's message with this public id; 404 otherwise. */
export async function requireChatMessage(
  store: Store,
  chatId: string,
  messageId: string,
): Promise<MessageDoc> {
  const message = await findChatMessage(store, chatId, messageId);
  if (!message) throw problems.notFound('No such message.');
  return message;
}
