import type { Chat } from '@messenger/contracts';
import { readMarksOf } from '../messages/marks.js';
import type { ChatDoc } from '../store/chat-model.js';
import type { Store } from '../store/store.js';
import { lastMessagesOf } from './chat-summary.js';
import { chatView } from './chat-view.js';

/** Chats as one user sees them: with that user's unread count and each chat's last message. */
export async function chatViewsFor(
  store: Store,
  userId: string,
  chats: ChatDoc[],
): Promise<Chat[]> {
  return chats.map(await viewer(store, userId, chats));
}

export async function chatViewFor(store: Store, userId: string, chat: ChatDoc): Promise<Chat> {
  return (await viewer(store, userId, [chat]))(chat);
}

async function viewer(
  store: Store,
  userId: string,
  chats: ChatDoc[],
): Promise<(chat: ChatDoc) => Chat> {
  const [reads, lastMessages] = await Promise.all([
    readMarksOf(
      store,
      userId,
      chats.map((chat) => chat._id),
    ),
    lastMessagesOf(store, chats),
  ]);
  return (chat) =>
    chatView(chat, userId, reads.get(chat._id) ?? 0, lastMessages.get(chat._id) ?? null);
}
