import { z } from 'zod';
import { decodeCursor, encodeCursor, type Page } from '@messenger/platform';
import type { Chat } from '@messenger/contracts';
import type { ChatDoc } from '../store/chat-model.js';
import type { Store } from '../store/store.js';
import { chatViewsFor } from './chat-views.js';

const cursorSchema = z.object({ at: z.iso.datetime(), id: z.uuid() }).strict();

/** A user's chats, most recent activity first: one range of the (member, activity) index. */
export async function listChats(
  store: Store,
  userId: string,
  query: { limit: number; cursor?: string | undefined },
): Promise<Page<Chat>> {
  const filter: Record<string, unknown> = { memberIds: userId };
  if (query.cursor) {
    const position = decodeCursor(cursorSchema, query.cursor);
    const at = new Date(position.at);
    filter['$or'] = [
      { lastActivityAt: { $lt: at } },
      { lastActivityAt: at, _id: { $lt: position.id } },
    ];
  }
  const docs = await store.chats
    .find(filter)
    .sort({ lastActivityAt: -1, _id: -1 })
    .limit(query.limit + 1)
    .lean<ChatDoc[]>();
  const page = docs.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: await chatViewsFor(store, userId, page),
    nextCursor:
      docs.length > query.limit && last
        ? encodeCursor({ at: last.lastActivityAt.toISOString(), id: last._id })
        : null,
  };
}
