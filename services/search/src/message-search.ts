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
 * One GIN scan (`messages_words`): every word of `q` ('simple': whole words, lower-cased, as the
 * index holds them) AND the lexeme of one of the caller's chats; the matches are then sorted
 * newest first. No chat (or a chatId the caller is not in) makes the tsquery NULL: no rows.
 */
export const messageSearchSql = `
  SELECT message FROM messages
  WHERE words @@ (plainto_tsquery('simple', $3) && (
          SELECT string_agg(quote_literal('~' || chat_id::text), ' | ')::tsquery
          FROM chat_members
          WHERE user_id = $1 AND ($2::uuid IS NULL OR chat_id = $2)))
    AND ($4::timestamptz IS NULL OR (created_at, message_id) < ($4, $5::uuid))
  ORDER BY created_at DESC, message_id DESC
  LIMIT $6`;

/** A page of the messages of `userId`'s chats that contain every word of the query. */
export async function searchMessages(
  pool: Pool,
  userId: string,
  query: MessageSearchQuery,
): Promise<Page<Message>> {
  const after = query.cursor === undefined ? undefined : decodeCursor(cursorSchema, query.cursor);
  const { rows } = await pool.query<{ message: unknown }>(messageSearchSql, [
    userId,
    query.chatId ?? null,
    query.q,
    after?.at ?? null,
    after?.id ?? null,
    query.limit + 1,
  ]);
  const items = rows.slice(0, query.limit).map((row) => messageSchema.parse(row.message));
  const last = items.at(-1);
  return {
    items,
    nextCursor:
      rows.length > query.limit && last ? encodeCursor({ at: last.createdAt, id: last.id }) : null,
  };
}
