import { z } from 'zod';
import { backendConfig, baseConfigSchema, tokenConfig } from '@messenger/platform';
import { services } from '@messenger/contracts/services';

export const configSchema = baseConfigSchema.extend({
  PORT: z.coerce.number().int().min(1).max(65535).default(services.search.port),
  DATABASE_URL: backendConfig.DATABASE_URL,
  REDIS_URL: backendConfig.REDIS_URL,
  KAFKA_BROKERS: backendConfig.KAFKA_BROKERS,
  ...tokenConfig,
});

export type Config = z.infer<typeof configSchema>;
