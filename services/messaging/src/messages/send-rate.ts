import {
  BurstyRateLimiter,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import { problems, type Logger, type Redis } from '@messenger/platform';

export interface SendRateLimits {
  /** Messages a user may send per second, sustained, over REST and sockets together. */
  perSecond: number;
  /** Messages a user may send beyond that in any 10 s. */
  burstPer10s: number;
}

function limiter(redis: Redis, name: string, points: number, duration: number): RateLimiterRedis {
  return new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: `ratelimit:messaging:${name}`,
    points,
    duration,
    // Should Redis be unreachable, each instance counts on its own rather than letting all in.
    insuranceLimiter: new RateLimiterMemory({ points, duration }),
  });
}

/**
 * How many messages one user may send, counted across every instance in Redis. A message is
 * the costliest thing a client asks for (a store insert, a relay, a fan-out), so one user's
 * flood is cut to a few messages a second before it costs anyone else their latency.
 */
export class SendRate {
  private readonly limiter: BurstyRateLimiter;

  constructor(
    redis: Redis,
    limits: SendRateLimits,
    private readonly logger: Logger,
  ) {
    this.limiter = new BurstyRateLimiter(
      limiter(redis, 'send', limits.perSecond, 1),
      limiter(redis, 'send-burst', limits.burstPer10s, 10),
    );
  }

  /** Counts one send of the user's; throws 429 `rate_limited` when over the limits. */
  async take(userId: string): Promise<void> {
    try {
      await this.limiter.consume(userId);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes)
        throw problems.rateLimited(rejection.msBeforeNext / 1000);
      this.logger.warn({ err: rejection }, 'send rate limiter failed');
    }
  }
}
