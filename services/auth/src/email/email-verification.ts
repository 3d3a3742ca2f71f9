import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import {
  enqueueEvent,
  HttpProblem,
  problems,
  withTransaction,
  type Logger,
  type Pool,
  type Redis,
} from '@messenger/platform';
import { findUserById, markEmailVerified } from '../users/user-store.js';
import {
  consumeVerificationToken,
  newVerificationToken,
  storeVerificationToken,
} from './verification-tokens.js';
import type { VerificationMailer } from './verification-mailer.js';

export interface EmailVerificationSettings {
  ttlSeconds: number;
  resendsPerHour: number;
}

/** Proving an email address: the single-use mailed token, and sending a new one. */
export class EmailVerification {
  private readonly resends: RateLimiterRedis;

  constructor(
    private readonly pool: Pool,
    redis: Redis,
    private readonly mailer: VerificationMailer,
    private readonly settings: EmailVerificationSettings,
    /** Wakes the outbox relay after a commit that queued events. */
    private readonly onCommit: () => void,
    private readonly logger: Logger,
  ) {
    this.resends = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: 'auth:verify-email-resend',
      points: settings.resendsPerHour,
      duration: 60 * 60,
    });
  }

  /** Spends a live token and marks its user's address verified (emitting `user.email_verified`). */
  async verify(token: string): Promise<void> {
    const userId = await withTransaction(this.pool, async (tx) => {
      const owner = await consumeVerificationToken(tx, token);
      if (owner && (await markEmailVerified(tx, owner)))
        await enqueueEvent(tx, 'auth', {
          type: 'user.email_verified',
          key: owner,
          data: { userId: owner },
        });
      return owner;
    });
    if (!userId)
      throw new HttpProblem(400, 'invalid_token', 'The verification link is invalid or expired.');
    this.onCommit();
    this.logger.info({ event: 'auth.email_verified', userId }, 'email verified');
  }

  /** Mails a new token (earlier ones stop working), a few times an hour per user. */
  async resend(userId: string): Promise<void> {
    const user = await findUserById(this.pool, userId);
    if (!user) throw problems.unauthorized();
    if (user.emailVerified)
      throw problems.conflict('email_already_verified', 'This email address is already verified.');
    await this.resends.consume(userId).catch((error: unknown) => {
      if (error instanceof RateLimiterRes) throw problems.rateLimited(error.msBeforeNext / 1000);
      throw error;
    });
    const verification = newVerificationToken();
    await withTransaction(this.pool, (tx) =>
      storeVerificationToken(tx, userId, verification, this.settings.ttlSeconds),
    );
    try {
      await this.mailer.send(user.email, verification.token);
    } catch (error) {
      this.logger.error({ err: error, userId }, 'verification mail not sent');
      throw problems.unavailable('The mail could not be sent; try again later.');
    }
  }
}
