import { z } from 'zod';
import {
  backendConfig,
  baseConfigSchema,
  serviceClientConfig,
  tokenConfig,
} from '@messenger/platform';
import { services } from '@messenger/contracts/services';

export const configSchema = baseConfigSchema.extend({
  PORT: z.coerce.number().int().min(1).max(65535).default(services.contact.port),
  DATABASE_URL: backendConfig.DATABASE_URL,
  REDIS_URL: backendConfig.REDIS_URL,
  KAFKA_BROKERS: backendConfig.KAFKA_BROKERS,
  /** The profile service: nicknames of friends, and resolving a request's target. */
  PROFILE_URL: z.url(),
  ...tokenConfig,
  ...serviceClientConfig,
});

export type Config = z.infer<typeof configSchema>;
