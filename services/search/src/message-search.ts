import { z } from 'zod';
import {
  idSchema,
  messageSchema,
  type Message,
  type MessageSearchQuery,
} from '@messenger/contracts';
import { decodeCursor, encodeCursor, type Page, type Pool } from '@messenger/platform';
import { findBefore, findInMonths, type FoundRow } from './message-search-store.js';

/**
 * After which message (newest first: by creation time, then id) the next page starts. Year 0000
 * fits the ISO format but not PostgreSQL's timestamps: a forged cursor must be a 400, not a 500.
 */
const cursorSchema = z.object({
  at: z.iso.datetime().refine((at) => !at.startsWith('0000'), 'Not a time'),
  id: idSchema,
});

/**
 * The windows a page looks through, newest first: the month of its start (and the next, for
 * clocks ahead of this one), then 2 and 9 months before, then everything older. A common word
 * fills a page from the first; a rare one costs four cheap scans.
 */
const WINDOW_MONTHS = [2, 2, 9] as const;

const monthLexeme = (date: Date) => `@${date.toISOString().slice(0, 7)}`;

function windows(from: Date): { months: string[] }[] {
  // The first of the month after `from`, then one month back at a time.
  const cursor = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + 1, 1));
  return WINDOW_MONTHS.map((count) => {
    const months: string[] = [];
    for (let i = 0; i < count; i++) {
      months.push(monthLexeme(cursor));
      cursor.setUTCMonth(cursor.getUTCMonth() - 1);
    }
    return { months };
  });
}

/** The start of the month of `@YYYY-MM`, as an ISO time. */
const startOf = (lexeme: string) => `${lexeme.slice(1)}-01T00:00:00.000Z`;

/** Message search over the projection: pages of the caller's chats' messages, newest first. */
export class MessageSearch {
  constructor(private readonly pool: Pool) {}

  /** A page of the messages of `userId`'s chats that contain every word of the query. */
  async search(userId: string, query: MessageSearchQuery): Promise<Page<Message>> {
    const after = query.cursor === undefined ? null : decodeCursor(cursorSchema, query.cursor);
    const wanted = query.limit + 1;
    const found: FoundRow[] = [];
    const window = () => ({
      userId,
      chatId: query.chatId ?? null,
      q: query.q,
      after,
      limit: wanted - found.length,
    });
    const scanned = windows(after ? new Date(after.at) : new Date());
    for (const { months } of scanned) {
      const lexemes = months.map((month) => `'${month}'`).join(' | ');
      found.push(...(await findInMonths(this.pool, window(), lexemes)));
      if (found.length >= wanted) break;
    }
    const oldest = scanned.at(-1)?.months.at(-1);
    if (found.length < wanted && oldest) {
      found.push(...(await findBefore(this.pool, window(), startOf(oldest))));
    }
    const items = found.slice(0, query.limit).map((row) => asRead(row, userId));
    const last = items.at(-1);
    return {
      items,
      nextCursor:
        found.length > query.limit && last
          ? encodeCursor({ at: last.createdAt, id: last.id })
          : null,
    };
  }
}

/** The stored message with reaction counts as its last change left them and `me` the reader's. */
function asRead({ message, reactors }: FoundRow, readerId: string): Message {
  const parsed = messageSchema.parse(message);
  const reactions = parsed.reactions.map((reaction) => ({
    ...reaction,
    me: reactors[reaction.emoji]?.includes(readerId) ?? false,
  }));
  return { ...parsed, reactions };
}
