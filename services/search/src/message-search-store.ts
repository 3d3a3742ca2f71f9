import type { Pool } from '@messenger/platform';

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

export interface FoundRow {
  message: unknown;
  reactors: Record<string, string[]>;
}

export interface WindowSearch {
  userId: string;
  chatId: string | null;
  q: string;
  /** The keyset position to start after, or none for the newest. */
  after: { at: string; id: string } | null;
  limit: number;
}

/** The months window: `months` is a tsquery of month lexemes (`'@2026-12' | '@2026-11'`). */
export async function findInMonths(pool: Pool, search: WindowSearch, months: string) {
  return findIn(pool, monthsWindowSql, search, months);
}

/** The last window: every message created before `before` (an ISO time). */
export async function findBefore(pool: Pool, search: WindowSearch, before: string) {
  return findIn(pool, olderWindowSql, search, before);
}

async function findIn(pool: Pool, sql: string, search: WindowSearch, bound: string) {
  const { rows } = await pool.query<FoundRow>(sql, [
    search.userId,
    search.chatId,
    search.q,
    search.after?.at ?? null,
    search.after?.id ?? null,
    search.limit,
    bound,
  ]);
  return rows;
}
