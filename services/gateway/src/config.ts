import { z } from 'zod';
import { backendConfig, baseConfigSchema, tokenConfig, urlList } from '@messenger/platform';
import { services } from '@messenger/contracts/services';

const perMinute = z.coerce.number().int().positive();

export const configSchema = baseConfigSchema.extend({
  PORT: z.coerce.number().int().min(1).max(65535).default(services.gateway.port),
  /** The edge: clients connect directly (0), or through an ingress (1). */
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  REDIS_URL: backendConfig.REDIS_URL,
  AUTH_URL: z.url(),
  SESSION_URL: z.url(),
  PROFILE_URL: z.url(),
  CONTACT_URL: z.url(),
  SEARCH_URL: z.url(),
  MESSAGING_URLS: urlList.pipe(z.array(z.url())),
  /** Browser origins allowed by CORS, comma-separated; empty allows none. */
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    ),
  RATE_LIMIT_IP_PER_MINUTE: perMinute.default(1200),
  RATE_LIMIT_USER_PER_MINUTE: perMinute.default(600),
  UPSTREAM_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /** How often each instance of a many-instance upstream is asked /readyz. */
  UPSTREAM_CHECK_INTERVAL_MS: z.coerce.number().int().min(100).default(2_000),
  /** How long an instance that failed a request is left out. */
  UPSTREAM_EJECT_MS: z.coerce.number().int().min(100).default(10_000),
  JSON_LIMIT: z.string().default('64kb'),
  ...tokenConfig,
});

export type Config = z.infer<typeof configSchema>;
