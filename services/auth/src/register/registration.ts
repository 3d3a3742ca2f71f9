import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { enqueueEvent, problems, withTransaction } from '@messenger/platform';
import {
  registerBodySchema as registerBody,
  type AuthResult,
  type ClientInfo,
} from '@messenger/contracts';
import type { AuthDeps } from '../deps.js';
import { authResult } from '../auth-result.js';
import { insertUser, isUniqueViolation, type UserRecord } from '../users/user-store.js';
import { newPasswordIssues, normalizePassword } from '../passwords/password-policy.js';
import { newVerificationToken, storeVerificationToken } from '../email/verification-tokens.js';

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

/**
 * Creates the credentials, the profile (so it is readable when this returns) and `user.created`
 * in one transaction: a taken email or nickname leaves nothing behind. The profile call is
 * idempotent per user and nickname, so a retried call is harmless.
 */
export async function registerUser(
  deps: AuthDeps,
  input: RegisterInput,
  client: ClientInfo,
): Promise<AuthResult> {
  const user: UserRecord = {
    id: randomUUID(),
    email: input.email,
    nickname: input.nickname,
    passwordHash: await deps.hasher.hash(input.password),
    emailVerified: false,
  };
  const verification = newVerificationToken();
  try {
    await withTransaction(deps.pool, async (tx) => {
      await insertUser(tx, user);
      await storeVerificationToken(tx, user.id, verification, deps.verificationTtlSeconds);
      await enqueueEvent(tx, 'auth', {
        type: 'user.created',
        key: user.id,
        data: { userId: user.id, email: user.email, nickname: user.nickname },
      });
      if ((await deps.profiles.create(user.id, user.nickname)) === 'nickname_taken')
        throw problems.conflict('nickname_taken', 'This nickname is taken.');
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw problems.conflict('email_taken', 'An account with this email already exists.');
    throw error;
  }
  deps.onCommit();
  deps.logger.info({ event: 'auth.register', userId: user.id }, 'user registered');
  deps.mailer.sendInBackground(user.email, verification.token, user.id);
  return authResult(user, await deps.sessions.open(user.id, client));
}
