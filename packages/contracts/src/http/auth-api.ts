import { z } from 'zod';
import { idSchema } from '../ids.js';
import { nicknameSchema } from '../profile.js';
import { errors } from './errors.js';
import type { Operation } from './operation.js';

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

export const emailSchema = z.string().trim().max(254).pipe(z.email());
const refreshToken = z.string().min(1).max(256);

/** A nickname as stored and returned: always lower case. */
export const storedNicknameSchema = z.string().regex(/^[a-z0-9_.]{3,32}$/);

export const userSchema = z.object({
  id: idSchema,
  email: z.string(),
  nickname: storedNicknameSchema,
  emailVerified: z.boolean(),
});
export type PublicUser = z.infer<typeof userSchema>;

export const authResultSchema = z
  .object({
    user: userSchema,
    accessToken: z.string(),
    refreshToken: z.string(),
    tokenType: z.literal('Bearer'),
    expiresIn: z.number().int().positive().meta({ description: 'seconds' }),
  })
  .meta({
    examples: [
      {
        user: {
          id: '1b4e28ba-2fa1-41d2-883f-0016d3cca427',
          email: 'ada@example.com',
          nickname: 'ada.l',
          emailVerified: false,
        },
        accessToken: 'eyJhbGciOiJFZERTQSJ9.e30.c2ln',
        refreshToken: 'rt_7Jd2kq0Wm3Xy',
        tokenType: 'Bearer',
        expiresIn: 900,
      },
    ],
  });
export type AuthResult = z.infer<typeof authResultSchema>;

/** The wire shape; auth adds the password policy (NFKC, code points, common passwords). */
export const registerBodySchema = z.object({
  email: emailSchema,
  password: z
    .string()
    .max(4 * PASSWORD_MAX)
    .meta({ minLength: PASSWORD_MIN, maxLength: PASSWORD_MAX }),
  nickname: nicknameSchema,
});

export const loginBodySchema = z.object({
  email: z.string().trim().min(1).max(254),
  password: z.string().min(1).meta({ maxLength: PASSWORD_MAX }),
});

export const refreshBodySchema = z.object({ refreshToken });
export const logoutBodySchema = z.object({ refreshToken: refreshToken.optional() });
export const verifyEmailBodySchema = z.object({ token: z.string().min(1).max(256) });
/** Google's redirect back: `code` and `state`, or `error` when the user refused. */
export const googleCallbackQuerySchema = z.looseObject({
  code: z.string().min(1).max(2048).optional(),
  state: z.string().max(256).optional(),
  error: z.string().max(256).optional(),
});

const tokens = (status: number, description: string) => ({
  status,
  description,
  body: authResultSchema,
});

/** docs/api.md, "Auth". */
export const authOperations = [
  {
    method: 'post',
    path: '/auth/register',
    summary: 'Register with email, password and nickname',
    public: true,
    body: registerBodySchema,
    success: [tokens(201, 'Registered and logged in')],
    errors: [errors.emailTaken, errors.nicknameTaken, errors.upstreamUnavailable],
  },
  {
    method: 'post',
    path: '/auth/login',
    summary: 'Log in with email and password',
    public: true,
    body: loginBodySchema,
    success: [tokens(200, 'Logged in')],
    errors: [errors.invalidCredentials, errors.rateLimited, errors.upstreamUnavailable],
  },
  {
    method: 'post',
    path: '/auth/refresh',
    summary: 'Rotate a refresh token',
    public: true,
    body: refreshBodySchema,
    success: [tokens(200, 'New tokens; the old refresh token is spent')],
    errors: [errors.unauthorized, errors.tokenReused, errors.upstreamUnavailable],
  },
  {
    method: 'post',
    path: '/auth/logout',
    summary: 'Revoke the current session',
    body: logoutBodySchema,
    success: [{ status: 204, description: 'The current session is revoked' }],
    errors: [errors.upstreamUnavailable],
  },
  {
    method: 'get',
    path: '/auth/google',
    summary: 'Start Google login',
    public: true,
    success: [{ status: 302, description: 'To Google (state + PKCE)' }],
    errors: [errors.googleNotConfigured],
  },
  {
    method: 'get',
    path: '/auth/google/callback',
    summary: 'Finish Google login',
    public: true,
    query: googleCallbackQuerySchema,
    success: [
      { status: 302, description: 'To the configured client URL with the tokens' },
      tokens(200, 'The tokens, when the client asked for JSON'),
    ],
    errors: [
      errors.invalidState,
      errors.oauthEmailMissing,
      errors.oauthDenied,
      errors.oauthFailed,
      errors.emailTaken,
      errors.googleNotConfigured,
      errors.upstreamUnavailable,
    ],
  },
  {
    method: 'post',
    path: '/auth/verify-email',
    summary: 'Verify an email address',
    public: true,
    body: verifyEmailBodySchema,
    success: [{ status: 204, description: 'Verified; emits `user.email_verified`' }],
    errors: [errors.invalidToken],
  },
  {
    method: 'post',
    path: '/auth/verify-email/resend',
    summary: 'Send the verification mail again',
    success: [{ status: 202, description: 'The mail is on its way' }],
    errors: [errors.emailAlreadyVerified, errors.rateLimited, errors.unavailable],
  },
] as const satisfies readonly Operation[];
