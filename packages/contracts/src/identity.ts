import { z } from 'zod';
import { idSchema } from './ids.js';
import { nicknameSchema } from './profile.js';

/** `data` of the identity events (auth and session produce them; key = the user id). */
export const userCreatedData = z.object({
  userId: idSchema,
  email: z.string().min(3),
  nickname: nicknameSchema,
});
export type UserCreatedData = z.infer<typeof userCreatedData>;

export const userEmailVerifiedData = z.object({
  userId: idSchema,
});
export type UserEmailVerifiedData = z.infer<typeof userEmailVerifiedData>;

export const sessionCreatedData = z.object({
  sessionId: idSchema,
  userId: idSchema,
});
export type SessionCreatedData = z.infer<typeof sessionCreatedData>;

export const sessionRevokedReasons = [
  'logout',
  'revoked',
  'revoked_others',
  'token_reused',
] as const;

export const sessionRevokedData = z.object({
  sessionId: idSchema,
  userId: idSchema,
  reason: z.enum(sessionRevokedReasons),
});
export type SessionRevokedData = z.infer<typeof sessionRevokedData>;
