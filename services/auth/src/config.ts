import { z } from 'zod';
import {
  backendConfig,
  baseConfigSchema,
  serviceClientConfig,
  tokenConfig,
} from '@messenger/platform';
import { localUrls, services } from '@messenger/contracts/services';

const count = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const optionalSecret = z
  .string()
  .optional()
  .transform((value) => value || undefined);

export const configSchema = baseConfigSchema.extend({
  PORT: z.coerce.number().int().min(1).max(65535).default(services.auth.port),
  DATABASE_URL: backendConfig.DATABASE_URL,
  REDIS_URL: backendConfig.REDIS_URL,
  KAFKA_BROKERS: backendConfig.KAFKA_BROKERS,
  SESSION_URL: z.url(),
  PROFILE_URL: z.url(),
  ...tokenConfig,
  ...serviceClientConfig,

  /** Login throttling (login/login-throttle.ts; docs/api.md "Auth" says how it works). */
  LOGIN_PAIR_MAX_FAILURES: count(5),
  LOGIN_PAIR_WINDOW_SECONDS: count(60),
  LOGIN_ADDRESS_MAX_FAILURES: count(100),
  LOGIN_ADDRESS_WINDOW_SECONDS: count(60 * 60),
  LOGIN_ACCOUNT_MAX_FAILURES: count(20),
  LOGIN_ACCOUNT_SLOW_SECONDS: count(30),
  LOGIN_KNOWN_PAIR_DAYS: count(30),

  SMTP_URL: z.url({ protocol: /^smtps?$/ }).default('smtp://127.0.0.1:51025'),
  MAIL_FROM: z.string().min(3).default('Messenger <no-reply@messenger.local>'),
  /** The client page that reads `?token=` from the link in the verification mail. */
  EMAIL_VERIFY_URL: z.url().default('http://localhost:3000/verify-email'),
  EMAIL_VERIFICATION_TTL_SECONDS: count(24 * 60 * 60),
  EMAIL_RESEND_MAX_PER_HOUR: count(5),

  GOOGLE_CLIENT_ID: optionalSecret,
  GOOGLE_CLIENT_SECRET: optionalSecret,
  /** Must match the redirect URI registered with Google: the gateway's callback route. */
  GOOGLE_CALLBACK_URL: z
    .url()
    .default(`${localUrls('gateway')[0] ?? ''}/api/v1/auth/google/callback`),
  GOOGLE_AUTH_URL: z.url().default('https://accounts.google.com/o/oauth2/v2/auth'),
  GOOGLE_TOKEN_URL: z.url().default('https://oauth2.googleapis.com/token'),
  GOOGLE_USERINFO_URL: z.url().default('https://openidconnect.googleapis.com/v1/userinfo'),
  /** Where the Google callback sends the browser, with the tokens in the URL fragment. */
  CLIENT_REDIRECT_URL: z.url().default('http://localhost:3000/auth/callback'),
});

export type Config = z.infer<typeof configSchema>;
