import type { Connection, Model } from 'mongoose';
import { chatSchema, type ChatDoc } from './chat-model.js';
import { messageSchema, type MessageDoc } from './message-model.js';
import { marksSchema, type MarksDoc } from './marks-model.js';

export interface Store {
  chats: Model<ChatDoc>;
  messages: Model<MessageDoc>;
  marks: Model<MarksDoc>;
}

/** Collections whose documents carry an `outbox` array for the platform's relay. */
export const outboxCollections = ['marks'];

/** The models on one connection, with their indexes built (the unique ones carry correctness). */
export async function openStore(connection: Connection): Promise<Store> {
  const store: Store = {
    chats: connection.model<ChatDoc>('Chat', chatSchema),
    messages: connection.model<MessageDoc>('Message', messageSchema),
    marks: connection.model<MarksDoc>('Marks', marksSchema),
  };
  await Promise.all([store.chats.init(), store.messages.init(), store.marks.init()]);
  return store;
}
