import { z } from 'zod';
import {
  idSchema,
  messageSchema,
  type Message,
  type MessageSearchQuery,
} from '@messenger/contracts';
import { decodeCursor, encodeCursor, type Page, type Pool } from '@messenger/platform';

/**
 * After which message (newest first: by creation time, then id) the next page starts. Year 0000
 * fits the ISO format but not PostgreSQL's timestamps: a forged cursor must be a 400, not a 500.
 */
const cursorSchema = z.object({
  at: z.iso.datetime().refine((at) => !at.startsWith('0000'), 'Not a time'),
  id: idSchema,
});

/**
 * One GIN scan (`messages_words`) per window: every word of `q` ('simple': whole words,
 * lower-cased, as the index holds them) AND the lexeme of one of the caller's chats AND, but in
 * the last window, the lexeme of one of the window's months; the matches are sorted newest first.
 * No chat (or a chatId the caller is not in) makes the tsquery NULL: no rows.
 */
function windowSql(window: 'months' | 'older'): string {
  const months = window === 'months' ? `&& $7::tsquery` : '';
  const older = window === 'older' ? `AND created_at < $7::timestamptz` : '';
  return `
  SELECT message, reactors FROM messages
  WHERE words @@ (plainto_tsquery('simple', $3) ${months} && (
          SELECT string_agg(quote_literal('~' || chat_id::text), ' | ')::tsquery
          FROM chat_members
          WHERE user_id = $1 AND ($2::uuid IS NULL OR chat_id = $2)))
    AND ($4::timestamptz IS NULL OR (created_at, message_id) < ($4, $5::uuid))
    ${older}
  ORDER BY created_at DESC, message_id DESC
  LIMIT $6`;
}

export const monthsWindowSql = windowSql('months');
export const olderWindowSql = windowSql('older');

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

/** A page of the messages of `userId`'s chats that contain every word of the query. */
export async function searchMessages(
  pool: Pool,
  userId: string,
  query: MessageSearchQuery,
): Promise<Page<Message>> {
  const after = query.cursor === undefined ? undefined : decodeCursor(cursorSchema, query.cursor);
  const wanted = query.limit + 1;
  const found: { message: unknown; reactors: Record<string, string[]> }[] = [];
  const search = async (sql: string, last: string) => {
    const { rows } = await pool.query<(typeof found)[number]>(sql, [
      userId,
      query.chatId ?? null,
      query.q,
      after?.at ?? null,
      after?.id ?? null,
      wanted - found.length,
      last,
    ]);
    found.push(...rows);
  };
  const scanned = windows(after ? new Date(after.at) : new Date());
  for (const { months } of scanned) {
    await search(monthsWindowSql, months.map((month) => `'${month}'`).join(' | '));
    if (found.length >= wanted) break;
  }
  const oldest = scanned.at(-1)?.months.at(-1);
  if (found.length < wanted && oldest) await search(olderWindowSql, startOf(oldest));
  const items = found.slice(0, query.limit).map(({ message, reactors }) => {
    const parsed = messageSchema.parse(message);
    // Counts as the last change left them; `me` is the reader's.
    const reactions = parsed.reactions.map((reaction) => ({
      ...reaction,
      me: reactors[reaction.emoji]?.includes(userId) ?? false,
    }));
    return { ...parsed, reactions };
  });
  const last = items.at(-1);
  return {
    items,
    nextCursor:
      found.length > query.limit && last ? encodeCursor({ at: last.createdAt, id: last.id }) : null,
  };
}
