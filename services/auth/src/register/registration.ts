import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import {
  enqueueEvent,
  problems,
  withTransaction,
  type Logger,
  type Pool,
} from '@messenger/platform';
import {
  registerBodySchema as registerBody,
  type AuthResult,
  type ClientInfo,
} from '@messenger/contracts';
import { authResult } from '../auth-result.js';
import { insertUser, isUniqueViolation, type UserRecord } from '../users/user-store.js';
import { newPasswordIssues, normalizePassword } from '../passwords/password-policy.js';
import type { PasswordHasher } from '../passwords/password-hasher.js';
import { newVerificationToken, storeVerificationToken } from '../email/verification-tokens.js';
import type { VerificationMailer } from '../email/verification-mailer.js';
import type { ProfileClient } from '../upstream/profile-client.js';
import type { SessionClient } from '../upstream/session-client.js';
import { accountKey, type LoginThrottle } from '../login/login-throttle.js';

/** The contract's register body with auth's password policy, which needs the common-password list. */
export function registerBodySchema(commonPasswords: ReadonlySet<string>) {
  return registerBody
    .extend({ password: registerBody.shape.password.transform(normalizePassword) })
    .superRefine((body, context) => {
      const issue = newPasswordIssues(body.password, commonPasswords, body);
      if (issue) context.addIssue({ code: 'custom', path: ['password'], message: issue });
    });
}
export type RegisterInput = z.infer<ReturnType<typeof registerBodySchema>>;

export interface RegistrationParts {
  pool: Pool;
  hasher: PasswordHasher;
  profiles: ProfileClient;
  sessions: SessionClient;
  mailer: VerificationMailer;
  /** The new user's address becomes a known-good login pair. */
  throttle: LoginThrottle;
  verificationTtlSeconds: number;
  /** Wakes the outbox relay after a commit that queued events. */
  onCommit: () => void;
  logger: Logger;
}

/** Sign-up with email, password and nickname (docs/api.md "Auth"). */
export class Registration {
  constructor(private readonly parts: RegistrationParts) {}

  /**
   * Creates the credentials, the profile (so it is readable when this returns) and `user.created`
   * in one transaction: a taken email or nickname leaves nothing behind. The profile call is
   * idempotent per user and nickname, so a retried call is harmless.
   */
  async register(input: RegisterInput, client: ClientInfo): Promise<AuthResult> {
    const { pool, profiles } = this.parts;
    const user: UserRecord = {
      id: randomUUID(),
      email: input.email,
      nickname: input.nickname,
      passwordHash: await this.parts.hasher.hash(input.password),
      emailVerified: false,
    };
    const verification = newVerificationToken();
    try {
      await withTransaction(pool, async (tx) => {
        await insertUser(tx, user);
        await storeVerificationToken(tx, user.id, verification, this.parts.verificationTtlSeconds);
        await enqueueEvent(tx, 'auth', {
          type: 'user.created',
          key: user.id,
          data: { userId: user.id, email: user.email, nickname: user.nickname },
        });
        if ((await profiles.create(user.id, user.nickname)) === 'nickname_taken')
          throw problems.conflict('nickname_taken', 'This nickname is taken.');
      });
    } catch (error) {
      if (isUniqueViolation(error))
        throw problems.conflict('email_taken', 'An account with this email already exists.');
      throw error;
    }
    this.parts.onCommit();
    this.parts.logger.info({ event: 'auth.register', userId: user.id }, 'user registered');
    this.parts.mailer.sendInBackground(user.email, verification.token, user.id);
    if (client.ip) await this.parts.throttle.remember(accountKey(user.email), client.ip);
    return authResult(user, await this.parts.sessions.open(user.id, client));
  }
}
