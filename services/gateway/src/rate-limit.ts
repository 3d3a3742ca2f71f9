import type { RequestHandler } from 'express';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { problems, type Logger } from '@messenger/platform';

export interface RateLimitOptions {
  redis: Redis;
  name: string;
  perMinute: number;
  logger: Logger;
  keyOf: (req: Parameters<RequestHandler>[0]) => string | undefined;
}

/**
 * A fixed-window limit shared by every gateway pod through Redis. Should Redis be unreachable,
 * a per-pod in-memory limiter stands in rather than letting everything through.
 */
export function rateLimit(options: RateLimitOptions): RequestHandler {
  const limiter = new RateLimiterRedis({
    storeClient: options.redis,
    keyPrefix: `ratelimit:gateway:${options.name}`,
    points: options.perMinute,
    duration: 60,
    insuranceLimiter: new RateLimiterMemory({ points: options.perMinute, duration: 60 }),
  });
  return async (req, res, next) => {
    const key = options.keyOf(req);
    if (key === undefined) {
      next();
      return;
    }
    try {
      const state = await limiter.consume(key);
      res.setHeader(`x-ratelimit-remaining-${options.name}`, String(state.remainingPoints));
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes)
        throw problems.rateLimited(rejection.msBeforeNext / 1000);
      options.logger.warn({ err: rejection }, 'rate limiter failed');
    }
    next();
  };
}
