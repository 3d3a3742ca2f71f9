import { Router } from 'express';
import { verifyEmailBodySchema } from '@messenger/contracts';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import {
  authOf,
  enqueueEvent,
  HttpProblem,
  parseInput,
  problems,
  requireAuth,
  withTransaction,
} from '@messenger/platform';
import type { AuthDeps } from '../deps.js';
import { findUserById, markEmailVerified } from '../users/user-store.js';
import {
  consumeVerificationToken,
  newVerificationToken,
  storeVerificationToken,
} from '../email/verification-tokens.js';

/** docs/api.md: verify-email (public, single-use token) and resend (Bearer, rate limited per user). */
export function emailRoutes(deps: AuthDeps, resendsPerHour: number): Router {
  const router = Router();
  const resends = new RateLimiterRedis({
    storeClient: deps.redis,
    keyPrefix: 'auth:verify-email-resend',
    points: resendsPerHour,
    duration: 60 * 60,
  });

  router.post('/api/v1/auth/verify-email', async (req, res) => {
    const { token } = parseInput(verifyEmailBodySchema, req.body);
    const userId = await withTransaction(deps.pool, async (tx) => {
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
    deps.onCommit();
    deps.logger.info({ event: 'auth.email_verified', userId }, 'email verified');
    res.status(204).end();
  });

  router.post('/api/v1/auth/verify-email/resend', requireAuth(deps.verify), async (req, res) => {
    const { userId } = authOf(req);
    const user = await findUserById(deps.pool, userId);
    if (!user) throw problems.unauthorized();
    if (user.emailVerified)
      throw problems.conflict('email_already_verified', 'This email address is already verified.');
    await resends.consume(userId).catch((error: unknown) => {
      if (error instanceof RateLimiterRes) throw problems.rateLimited(error.msBeforeNext / 1000);
      throw error;
    });
    const verification = newVerificationToken();
    await withTransaction(deps.pool, (tx) =>
      storeVerificationToken(tx, userId, verification, deps.verificationTtlSeconds),
    );
    try {
      await deps.mailer.send(user.email, verification.token);
    } catch (error) {
      deps.logger.error({ err: error, userId }, 'verification mail not sent');
      throw problems.unavailable('The mail could not be sent; try again later.');
    }
    res.status(202).end();
  });

  return router;
}
