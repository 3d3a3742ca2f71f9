import { z } from 'zod';
import { backendConfig, baseConfigSchema, tokenConfig } from '@messenger/platform';
import { services } from '@messenger/contracts/services';

const seconds = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const DAY = 24 * 60 * 60;

export const configSchema = baseConfigSchema
  .extend({
    PORT: z.coerce.number().int().min(1).max(65535).default(services.session.port),
    DATABASE_URL: backendConfig.DATABASE_URL,
    REDIS_URL: backendConfig.REDIS_URL,
    KAFKA_BROKERS: backendConfig.KAFKA_BROKERS,
    JWT_ISSUER: tokenConfig.JWT_ISSUER,
    JWT_AUDIENCE: tokenConfig.JWT_AUDIENCE,
    /** Where this service's own verifier reads the JWKS; by default its own endpoint. */
    JWKS_URL: tokenConfig.JWKS_URL.optional(),
    ACCESS_TOKEN_TTL_SECONDS: seconds(15 * 60),
    /** A session unused (not refreshed) this long expires. */
    SESSION_IDLE_TTL_SECONDS: seconds(14 * DAY),
    /** A session expires this long after login, however often it is refreshed. */
    SESSION_MAX_AGE_SECONDS: seconds(30 * DAY),
    SIGNING_KEY_ROTATION_SECONDS: seconds(30 * DAY),
    /** A new key is published this long before it signs: more than verifiers cache the JWKS (10 min). */
    SIGNING_KEY_PUBLISH_LEAD_SECONDS: seconds(15 * 60),
    /** Base64 of 32 bytes; when set, private signing keys are stored sealed with it. */
    SIGNING_KEY_ENCRYPTION_KEY: z
      .string()
      .refine((value) => Buffer.from(value, 'base64').length === 32, 'must be base64 of 32 bytes')
      .optional(),
  })
  .transform((config) => ({
    ...config,
    JWKS_URL: config.JWKS_URL ?? `http://127.0.0.1:${config.PORT}/.well-known/jwks.json`,
  }));

export type Config = z.infer<typeof configSchema>;
