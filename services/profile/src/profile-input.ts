import { z } from 'zod';
import { idSchema, nicknameSchema } from '@messenger/contracts';
import { pageQuerySchema } from '@messenger/platform';

export const DISPLAY_NAME_MAX = 64;
export const BIO_MAX = 500;
export const AVATAR_URL_MAX = 2048;
export const SEARCH_MAX = 64;

/** Control characters, lone surrogates and noncharacters (U+FFFE, U+10FFFF, ...). */
const UNPRINTABLE = /[\p{Cc}\p{Cs}\p{Noncharacter_Code_Point}]/u;
const UNPRINTABLE_EXCEPT_LINES = /(?![\n\t])[\p{Cc}\p{Cs}\p{Noncharacter_Code_Point}]/u;

/** Lengths count code points, as Postgres' char_length does. */
function atMost(max: number) {
  return (text: string) => Array.from(text).length <= max;
}

function isHttpsUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' && url.hostname !== '';
  } catch {
    return false;
  }
}

const displayName = z
  .string()
  .trim()
  .min(1)
  .refine(atMost(DISPLAY_NAME_MAX), `At most ${DISPLAY_NAME_MAX} characters`)
  .refine((text) => !UNPRINTABLE.test(text), 'Control characters are not allowed');

const bio = z
  .string()
  .refine(atMost(BIO_MAX), `At most ${BIO_MAX} characters`)
  .refine((text) => !UNPRINTABLE_EXCEPT_LINES.test(text), 'Control characters are not allowed');

const avatarUrl = z.string().max(AVATAR_URL_MAX).refine(isHttpsUrl, 'Must be an https:// URL');

/** PATCH /profiles/me: each field optional; null clears the optional ones. */
export const profilePatchSchema = z.strictObject({
  nickname: nicknameSchema.optional(),
  displayName: displayName.nullable().optional(),
  bio: bio.nullable().optional(),
  avatarUrl: avatarUrl.nullable().optional(),
});

export type ProfilePatch = z.infer<typeof profilePatchSchema>;

export const searchQuerySchema = pageQuerySchema.extend({
  search: z
    .string()
    .min(1)
    .refine(atMost(SEARCH_MAX), `At most ${SEARCH_MAX} characters`)
    .refine((text) => !UNPRINTABLE.test(text), 'Control characters are not allowed'),
});

export const userIdParams = z.object({ userId: idSchema });
export const nicknameParams = z.object({ nickname: nicknameSchema });

export const createProfileSchema = z.object({ userId: idSchema, nickname: nicknameSchema });
export const batchSchema = z.object({ userIds: z.array(idSchema).max(500) });
