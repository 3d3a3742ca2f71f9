import { z } from 'zod';
import { backendConfig, baseConfigSchema, tokenConfig, urlList } from '@messenger/platform';

export const configSchema = baseConfigSchema.extend({
  PORT: z.coerce.number().int().min(1).max(65535).default(8080),
  REDIS_URL: backendConfig.REDIS_URL,
  AUTH_URL: z.url(),
  SESSION_URL: z.url(),
  PROFILE_URL: z.url(),
  CONTACT_URL: z.url(),
  MESSAGING_URLS: urlList.pipe(z.array(z.url())),
  ...tokenConfig,
});

export type Config = z.infer<typeof configSchema>;
