import { z } from 'zod';
import { decodeCursor, encodeCursor, type Page } from '@messenger/platform';
import type { Chat } from '@messenger/contracts';
import type { ChatLog } from '../messages/chat-log.js';
import type { ChatDoc } from '../store/chat-model.js';
import type { MessageDoc } from '../store/message-model.js';
import { findByKeys, type Store } from '../store/store.js';
import type { ChatReader } from './chat-reader.js';
import { membershipsOf } from '../access/members.js';

const cursorSchema = z.object({ at: z.iso.datetime(), id: z.uuid() }).strict();

interface Activity {
  chatId: string;
  at: Date;
  last: MessageDoc | null;
}

/**
 * A user's chats, most recent activity first (a chat's last message, or when the user joined).
 * Activity is not stored per member, which would make every message a write to each member's
 * document: the user's memberships are read (at most MAX_LISTED_CHATS) and each chat's end is
 * found by key, so a page costs the same however many messages the chats hold.
 */
export async function listChats(
  store: Store,
  log: ChatLog,
  chatReader: ChatReader,
  userId: string,
  query: { limit: number; cursor?: string | undefined },
): Promise<Page<Chat>> {
  const memberships = await membershipsOf(store, userId);
  const activities: Activity[] = await Promise.all(
    memberships.map(async ({ chatId, joinedAt }) => {
      const last = await log.lastMessage(chatId);
      return { chatId, at: last?.createdAt ?? joinedAt, last };
    }),
  );
  activities.sort((a, b) => b.at.getTime() - a.at.getTime() || (a.chatId < b.chatId ? 1 : -1));
  let from = 0;
  if (query.cursor) {
    const position = decodeCursor(cursorSchema, query.cursor);
    const at = Date.parse(position.at);
    from = activities.findIndex(
      (a) => a.at.getTime() < at || (a.at.getTime() === at && a.chatId < position.id),
    );
    if (from === -1) from = activities.length;
  }
  const page = activities.slice(from, from + query.limit);
  const chats = new Map(
    (
      await findByKeys(
        store.chats,
        page.map((a) => a.chatId),
      )
    ).map((chat: ChatDoc) => [chat._id, chat]),
  );
  const items = await Promise.all(
    page.flatMap((a) => {
      const chat = chats.get(a.chatId);
      return chat ? [chatReader.of(userId, chat, a.last)] : [];
    }),
  );
  const last = page.at(-1);
  return {
    items,
    nextCursor:
      from + query.limit < activities.length && last
        ? encodeCursor({ at: last.at.toISOString(), id: last.chatId })
        : null,
  };
}
