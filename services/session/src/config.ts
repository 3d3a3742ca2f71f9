import { z } from 'zod';
import { backendConfig, baseConfigSchema } from '@messenger/platform';

export const configSchema = baseConfigSchema.extend({
  PORT: z.coerce.number().int().min(1).max(65535).default(8082),
  DATABASE_URL: backendConfig.DATABASE_URL,
  REDIS_URL: backendConfig.REDIS_URL,
  KAFKA_BROKERS: backendConfig.KAFKA_BROKERS,
});

export type Config = z.infer<typeof configSchema>;
