import { Redis } from 'ioredis';
import type { Logger } from 'pino';

export { Redis };

export function createRedis(url: string, logger: Logger): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: 3, enableAutoPipelining: true });
  redis.on('error', (error: Error) => {
    logger.warn({ err: error }, 'redis error');
  });
  return redis;
}
