/**
 * Removes the chats a test file made, with their members, messages, marks and relay heads, once
 * it is done, so the local store does not grow with every run.
 */
import { mongoose } from '@messenger/platform';
import { stack } from '../stack.js';

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
    // FerretDB scans a collection for anything but an `_id` lookup: a hundred chats at a time.
    for (let i = 0; i < ids.length; i += 100) {
      const slice = ids.slice(i, i + 100);
      await Promise.all([
        db.collection('messages').deleteMany({ chatId: { $in: slice } }),
        db.collection('marks').deleteMany({ chatId: { $in: slice } }),
        db.collection('members').deleteMany({ chatId: { $in: slice } }),
        db.collection('changes').deleteMany({ chatId: { $in: slice } }),
        db.collection('reactions').deleteMany({ chatId: { $in: slice } }),
        db.collection('hidden').deleteMany({ chatId: { $in: slice } }),
        db.collection('hides').deleteMany({ chatId: { $in: slice } }),
        db.collection('pins').deleteMany({ chatId: { $in: slice } }),
        db.collection('relay_heads').deleteMany({
          _id: { $in: slice.flatMap((id) => [`message:${id}`, `change:${id}`]) },
        } as never),
        db.collection('chats').deleteMany({ _id: { $in: slice } } as never),
      ]);
    }
  } finally {
    await connection.close();
  }
}
