/**
 * Removes the chats a test file made, with their members, messages, marks and relay heads, once
 * it is done, so the local store does not grow with every run.
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
      db.collection('members').deleteMany({ chatId: { $in: ids } }),
      db
        .collection('relay_heads')
        .deleteMany({ _id: { $in: ids.map((id) => `message:${id}`) } } as never),
      db.collection('chats').deleteMany({ _id: { $in: ids } } as never),
    ]);
  } finally {
    await connection.close();
  }
}
