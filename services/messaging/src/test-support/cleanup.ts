/**
 * Removes the chats a test file made, with their messages and marks, once it is done: FerretDB
 * (the local Mongo) scans whole collections for anything but a bare `_id` lookup, so data left by
 * every run would slow the outbox relay of the next.
 */
import { mongoose } from '@messenger/platform';
import { stack } from '@messenger/platform/testing';

const created = new Set<string>();

export function remember(chatId: string): void {
  created.add(chatId);
}

export async function forgetChats(chatIds: Iterable<string> = created): Promise<void> {
  const ids = [...chatIds];
  if (ids.length === 0) return;
  const connection = await mongoose.createConnection(stack.mongoUrl).asPromise();
  try {
    const db = connection.db;
    if (!db) return;
    await Promise.all([
      db.collection('messages').deleteMany({ chatId: { $in: ids } }),
      db.collection('marks').deleteMany({ chatId: { $in: ids } }),
      db.collection('chats').deleteMany({ _id: { $in: ids } } as never),
    ]);
  } finally {
    await connection.close();
  }
}
