import { z } from 'zod';
import { idSchema } from '../ids.js';
import { nicknameSchema } from '../profile.js';
import { storedNicknameSchema } from './auth-api.js';
import { errors } from './errors.js';
import type { Operation } from './operation.js';
import { pageOf, pageQuerySchema } from './page.js';
import { httpsUrlSchema, lineText, multilineText, timeSchema } from './text.js';

export const DISPLAY_NAME_MAX = 64;
export const BIO_MAX = 500;
export const SEARCH_MAX = 64;

/** A public profile (docs/api.md, "Profiles"); `null` where the user set nothing. */
export const profileSchema = z
  .object({
    userId: idSchema,
    nickname: storedNicknameSchema,
    displayName: z.string().nullable(),
    bio: z.string().nullable(),
    avatarUrl: z.string().nullable(),
    createdAt: timeSchema,
    updatedAt: timeSchema,
  })
  .meta({
    examples: [
      {
        userId: '1b4e28ba-2fa1-41d2-883f-0016d3cca427',
        nickname: 'ada.l',
        displayName: 'Ada Lovelace',
        bio: null,
        avatarUrl: 'https://cdn.example.com/ada.png',
        createdAt: '2026-11-21T10:00:00.000Z',
        updatedAt: '2026-11-21T10:00:00.000Z',
      },
    ],
  });

export type Profile = z.infer<typeof profileSchema>;

/** PATCH /profiles/me: each field optional; `null` clears displayName, bio and avatarUrl. */
export const profilePatchSchema = z.strictObject({
  nickname: nicknameSchema.optional(),
  displayName: z
    .string()
    .trim()
    .min(1)
    .pipe(lineText(DISPLAY_NAME_MAX))
    .meta({ maxLength: DISPLAY_NAME_MAX })
    .nullable()
    .optional(),
  bio: multilineText(BIO_MAX).nullable().optional(),
  avatarUrl: httpsUrlSchema.nullable().optional(),
});
export type ProfilePatch = z.infer<typeof profilePatchSchema>;

export const profileSearchQuerySchema = pageQuerySchema.extend({
  search: z
    .string()
    .min(1)
    .pipe(lineText(SEARCH_MAX))
    .meta({ maxLength: SEARCH_MAX, description: 'A nickname or display-name prefix' }),
});
export const userIdParamsSchema = z.object({ userId: idSchema });
export const nicknameParamsSchema = z.object({ nickname: nicknameSchema });

const profile = (description: string) => ({ status: 200, description, body: profileSchema });

/** docs/api.md, "Profiles". */
export const profileOperations = [
  {
    method: 'get',
    path: '/profiles/me',
    summary: 'Your profile',
    success: [profile('Your profile')],
    errors: [errors.notFound],
  },
  {
    method: 'patch',
    path: '/profiles/me',
    summary: 'Edit your profile',
    body: profilePatchSchema,
    success: [profile('The edited profile; emits `profile.updated`')],
    errors: [errors.notFound, errors.nicknameTaken],
  },
  {
    method: 'get',
    path: '/profiles/by-nickname/{nickname}',
    summary: 'A profile by nickname',
    params: nicknameParamsSchema,
    success: [profile('The profile')],
    errors: [errors.notFound],
  },
  {
    method: 'get',
    path: '/profiles/{userId}',
    summary: 'A profile by user id',
    params: userIdParamsSchema,
    success: [profile('The profile')],
    errors: [errors.notFound],
  },
  {
    method: 'get',
    path: '/profiles',
    summary: 'Search profiles by nickname or display-name prefix',
    query: profileSearchQuerySchema,
    success: [{ status: 200, description: 'Matching profiles', body: pageOf(profileSchema) }],
    errors: [],
  },
] as const satisfies readonly Operation[];
