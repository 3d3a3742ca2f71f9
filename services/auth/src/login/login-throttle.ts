import { createHash } from 'node:crypto';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { problems, type Redis } from '@messenger/platform';

export interface LoginLimits {
  /** Failures one address may make on one account per `pairWindowSeconds` (the short window). */
  pairFailures: number;
  pairWindowSeconds: number;
  /** Failures one address may make across all accounts per `addressWindowSeconds`. */
  addressFailures: number;
  addressWindowSeconds: number;
  /** Failures on one account (from addresses it is not known at) per hour before it slows down. */
  accountFailures: number;
  /** Past that soft limit, the account takes one attempt per this many seconds. */
  accountSlowSeconds: number;
  /** How long a successful login keeps its (account, address) pair known-good. */
  knownPairDays: number;
}

export interface LoginAttempt {
  /** Gives back the reserved failures (a correct password does not count) and remembers the pair. */
  succeeded: () => Promise<void>;
}

const HOUR_SECONDS = 60 * 60;

/** The throttle key of an account: a hash, so emails are not stored in Redis. */
export function accountKey(email: string): string {
  return createHash('sha256').update(email.toLowerCase(), 'utf8').digest('hex');
}

/**
 * Failed-login budgets, shared by every auth pod through Redis, after OWASP ASVS 5.0 V6.1.1 and
 * V6.3.1 (credential stuffing and brute force are slowed without letting anyone lock an account's
 * owner out; docs/api.md "Auth" is the documentation that V6.1.1 asks for):
 * - per (account, address) pair a tight budget in a short window: one address guessing one
 *   account is stopped, and the owner behind that address waits at most the window;
 * - per address, across accounts, a looser budget: credential stuffing from one address;
 * - per account a soft limit: past it the account takes one attempt per `accountSlowSeconds`
 *   from every address together (a botnet guessing one account), a slowdown, never a lockout.
 * A pair that logged in successfully is known-good for `knownPairDays`: it spends only its own
 * pair budget, so failures from other addresses (the address and account limits) never block it.
 * Each attempt reserves its failures before the password is checked, so concurrent guesses cannot
 * overrun a budget; a success gives them back.
 */
export class LoginThrottle {
  private readonly perPair: RateLimiterRedis;
  private readonly perAddress: RateLimiterRedis;
  private readonly perAccount: RateLimiterRedis;
  private readonly slowedAccount: RateLimiterRedis;
  private readonly knownPairSeconds: number;

  constructor(
    private readonly redis: Redis,
    limits: LoginLimits,
  ) {
    const limiter = (name: string, points: number, duration: number) =>
      new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `auth:login-failures:${name}`,
        points,
        duration,
      });
    this.perPair = limiter('pair', limits.pairFailures, limits.pairWindowSeconds);
    this.perAddress = limiter('address', limits.addressFailures, limits.addressWindowSeconds);
    this.perAccount = limiter('account', limits.accountFailures, HOUR_SECONDS);
    this.slowedAccount = limiter('account-slowed', 1, limits.accountSlowSeconds);
    this.knownPairSeconds = limits.knownPairDays * 24 * HOUR_SECONDS;
  }

  /** Reserves the attempt's failures, or throws 429 `rate_limited` with Retry-After. */
  async attempt(account: string, address: string): Promise<LoginAttempt> {
    const pair = `${account}:${address}`;
    const reserved: Reserved = [];
    const giveBack = () => Promise.all(reserved.map(([limiter, key]) => limiter.reward(key)));
    try {
      await take(this.perPair, pair, reserved);
      if (!(await this.isKnown(pair))) {
        await take(this.perAddress, address, reserved);
        if (await spend(this.perAccount, account, reserved))
          await take(this.slowedAccount, account, reserved);
      }
    } catch (error) {
      await giveBack();
      throw error;
    }
    return {
      succeeded: async () => {
        await Promise.all([giveBack(), this.remember(account, address)]);
      },
    };
  }

  /** Marks the pair known-good, e.g. at registration or after a successful login. */
  async remember(account: string, address: string): Promise<void> {
    await this.redis.set(knownKey(`${account}:${address}`), '1', 'EX', this.knownPairSeconds);
  }

  private async isKnown(pair: string): Promise<boolean> {
    return (await this.redis.exists(knownKey(pair))) === 1;
  }
}

function knownKey(pair: string): string {
  return `auth:login-known:${pair}`;
}

type Reserved = [RateLimiterRedis, string][];

/** Spends one point of `key`'s budget; throws 429 when none is left. */
async function take(limiter: RateLimiterRedis, key: string, reserved: Reserved): Promise<void> {
  const refusal = await spend(limiter, key, reserved);
  if (refusal) throw problems.rateLimited(refusal.msBeforeNext / 1000);
}

/** Spends one point of `key`'s budget; answers the refusal (nothing reserved) when none was left. */
async function spend(
  limiter: RateLimiterRedis,
  key: string,
  reserved: Reserved,
): Promise<RateLimiterRes | undefined> {
  try {
    await limiter.consume(key);
    reserved.push([limiter, key]);
    return undefined;
  } catch (error) {
    if (error instanceof RateLimiterRes) return error;
    throw error;
  }
}
