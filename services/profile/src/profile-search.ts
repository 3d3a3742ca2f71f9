import { z } from 'zod';
import type { Profile } from '@messenger/contracts';
import { decodeCursor, encodeCursor, type Page, type Pool } from '@messenger/platform';
import { PROFILE_COLUMNS, toProfile } from './profile-store.js';

/**
 * Prefix search over nicknames, then display names. Each phase is one btree range scan in index
 * order (`key >= p AND key < p || U+10FFFF` on "C"-collated keys: every string that starts with p
 * sorts in that range, and U+10FFFF never occurs in stored keys), so a page costs the same at a
 * million rows as at a thousand. The cursor says which phase to resume and after which key.
 */
const cursorSchema = z.discriminatedUnion('phase', [
  z.object({ phase: z.literal('nickname'), after: z.string().max(64) }),
  z.object({
    phase: z.literal('displayName'),
    after: z.object({ key: z.string().max(512), userId: z.uuid() }).optional(),
  }),
]);

type Cursor = z.infer<typeof cursorSchema>;
type DisplayNamePosition = { key: string; userId: string } | undefined;

/** Only a term made of nickname characters can prefix a nickname. */
const NICKNAME_PREFIX = /^[A-Za-z0-9_.]{1,32}$/;
const BEYOND_EVERY_SUFFIX = `U&'\\+10FFFF'`;

interface SearchRow {
  user_id: string;
  nickname: string;
  display_name: string | null;
  display_name_key: string | null;
  bio: string | null;
  avatar_url: string | null;
  created_at: Date;
  updated_at: Date;
}

export const nicknamePrefixQuery = `
  SELECT ${PROFILE_COLUMNS}, display_name_key FROM profiles
  WHERE nickname >= lower($1) AND nickname < lower($1) || ${BEYOND_EVERY_SUFFIX}
    AND nickname > $2
  ORDER BY nickname
  LIMIT $3`;

/**
 * Profiles whose nickname also matches were listed in the first phase. The first page starts at
 * the prefix; later pages start after the cursor's row, never before the prefix (a row
 * comparison is the scan's start key, so it alone must bound the scan from below).
 */
function displayNamePrefixQuery(start: string): string {
  return `
  SELECT ${PROFILE_COLUMNS}, display_name_key FROM profiles
  WHERE ${start} AND display_name_key < lower($1) || ${BEYOND_EVERY_SUFFIX}
    AND NOT (nickname >= lower($1) AND nickname < lower($1) || ${BEYOND_EVERY_SUFFIX})
  ORDER BY display_name_key, user_id
  LIMIT $2`;
}

export const displayNameFirstPageQuery = displayNamePrefixQuery('display_name_key >= lower($1)');
export const displayNameNextPageQuery = displayNamePrefixQuery(
  '(display_name_key, user_id) > (GREATEST($3 COLLATE "C", lower($1) COLLATE "C"), $4::uuid)',
);

export async function searchProfiles(
  pool: Pool,
  term: string,
  limit: number,
  cursorText: string | undefined,
): Promise<Page<Profile>> {
  const cursor: Cursor =
    cursorText === undefined
      ? { phase: 'nickname', after: '' }
      : decodeCursor(cursorSchema, cursorText);
  const items: Profile[] = [];
  let displayNameFrom: DisplayNamePosition;
  if (cursor.phase === 'nickname') {
    if (NICKNAME_PREFIX.test(term)) {
      const { rows } = await pool.query<SearchRow>(nicknamePrefixQuery, [
        term,
        cursor.after,
        limit + 1,
      ]);
      const page = rows.slice(0, limit);
      items.push(...page.map(toProfile));
      const last = page.at(-1);
      if (rows.length > limit && last) {
        return { items, nextCursor: encodeCursor({ phase: 'nickname', after: last.nickname }) };
      }
    }
  } else {
    displayNameFrom = cursor.after;
  }
  const room = limit - items.length;
  const { rows } = await pool.query<SearchRow>(
    displayNameFrom ? displayNameNextPageQuery : displayNameFirstPageQuery,
    displayNameFrom
      ? [term, room + 1, displayNameFrom.key, displayNameFrom.userId]
      : [term, room + 1],
  );
  const page = rows.slice(0, room);
  items.push(...page.map(toProfile));
  if (rows.length <= room) return { items, nextCursor: null };
  const last = page.at(-1);
  const after: DisplayNamePosition =
    last?.display_name_key != null
      ? { key: last.display_name_key, userId: last.user_id }
      : displayNameFrom;
  return { items, nextCursor: encodeCursor({ phase: 'displayName', after }) };
}
