import { hostname } from 'node:os';
import { z } from 'zod';
import { backendConfig, baseConfigSchema, tokenConfig } from '@messenger/platform';

export const configSchema = baseConfigSchema
  .extend({
    PORT: z.coerce.number().int().min(1).max(65535).default(8085),
    MONGO_URL: backendConfig.MONGO_URL,
    REDIS_URL: backendConfig.REDIS_URL,
    KAFKA_BROKERS: backendConfig.KAFKA_BROKERS,
    CONTACT_URL: z.url(),
    /** How long a connection counts as online without its instance's heartbeat (every TTL/3). */
    PRESENCE_TTL_SECONDS: z.coerce.number().int().min(2).max(3600).default(60),
    ...tokenConfig,
  })
  .transform((config) => ({
    ...config,
    INSTANCE_ID: config.INSTANCE_ID ?? `${hostname()}-${process.pid}`,
  }));

export type Config = z.infer<typeof configSchema>;
