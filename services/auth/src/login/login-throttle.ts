import { createHash } from 'node:crypto';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { problems, type Redis } from '@messenger/platform';

const HOUR_SECONDS = 60 * 60;

export interface LoginLimits {
  failuresPerAccount: number;
  failuresPerIp: number;
}

export interface LoginAttempt {
  /** Gives back the reserved failure: a correct password does not count. */
  succeeded: () => Promise<void>;
}

/** The throttle key of an account: a hash, so emails are not stored in Redis. */
export function accountKey(email: string): string {
  return createHash('sha256').update(email.toLowerCase(), 'utf8').digest('hex');
}

/**
 * Failed-login budgets per account and per client address, shared by every auth pod through
 * Redis (fixed one-hour windows). Each attempt reserves a failure before the password is checked,
 * so concurrent guesses cannot overrun the budget; a success gives it back.
 */
export class LoginThrottle {
  private readonly perAccount: RateLimiterRedis;
  private readonly perIp: RateLimiterRedis;

  constructor(redis: Redis, limits: LoginLimits) {
    this.perAccount = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: 'auth:login-failures:account',
      points: limits.failuresPerAccount,
      duration: HOUR_SECONDS,
    });
    this.perIp = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: 'auth:login-failures:ip',
      points: limits.failuresPerIp,
      duration: HOUR_SECONDS,
    });
  }

  async attempt(account: string, ip: string): Promise<LoginAttempt> {
    await this.take(this.perAccount, account);
    try {
      await this.take(this.perIp, ip);
    } catch (error) {
      await this.perAccount.reward(account);
      throw error;
    }
    return {
      succeeded: async () => {
        await Promise.all([this.perAccount.reward(account), this.perIp.reward(ip)]);
      },
    };
  }

  private async take(limiter: RateLimiterRedis, key: string): Promise<void> {
    try {
      await limiter.consume(key);
    } catch (error) {
      if (error instanceof RateLimiterRes) throw problems.rateLimited(error.msBeforeNext / 1000);
      throw error;
    }
  }
}
