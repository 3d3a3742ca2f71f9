import type { z } from 'zod';
import { HttpProblem } from '@messenger/platform';
import type { AuthDeps } from '../deps.js';
import { authResult } from '../auth-result.js';
import { findUserByEmail, updatePasswordHash, type UserRecord } from '../users/user-store.js';
import { loginPasswordSchema } from '../passwords/password-policy.js';
import {
  loginBodySchema as loginBody,
  type AuthResult,
  type ClientInfo,
} from '@messenger/contracts';
import { accountKey, type LoginThrottle } from './login-throttle.js';

/** The contract's login body, the password normalised as at registration. */
export const loginBodySchema = loginBody.extend({ password: loginPasswordSchema });
export type LoginInput = z.infer<typeof loginBodySchema>;

const invalidCredentials = () =>
  new HttpProblem(401, 'invalid_credentials', 'The email or password is wrong.');

/** Logs every attempt, never the password or the email itself. */
function logAttempt(
  deps: AuthDeps,
  outcome: 'success' | 'invalid_credentials' | 'rate_limited',
  account: string,
  client: ClientInfo,
  userId?: string,
): void {
  deps.logger.info(
    { event: 'auth.login', outcome, account: account.slice(0, 16), ip: client.ip, userId },
    'login attempt',
  );
}

/**
 * Password login. An unknown email, an account without a password (Google only) and a wrong
 * password all cost one argon2 verification and give the same 401, so neither the answer nor
 * its timing tells whether the email is registered.
 */
export async function login(
  deps: AuthDeps & { throttle: LoginThrottle },
  input: LoginInput,
  client: ClientInfo,
): Promise<AuthResult> {
  const account = accountKey(input.email);
  const attempt = await deps.throttle
    .attempt(account, client.ip ?? 'unknown')
    .catch((error: unknown) => {
      logAttempt(deps, 'rate_limited', account, client);
      throw error;
    });
  const user = await findUserByEmail(deps.pool, input.email);
  const passwordHash = user?.passwordHash;
  const valid = passwordHash
    ? await deps.hasher.verify(passwordHash, input.password)
    : await deps.hasher.verifyNothing(input.password);
  if (!user || !passwordHash || !valid) {
    logAttempt(deps, 'invalid_credentials', account, client, user?.id);
    throw invalidCredentials();
  }
  await attempt.succeeded();
  logAttempt(deps, 'success', account, client, user.id);
  if (deps.hasher.needsRehash(passwordHash))
    await updatePasswordHash(deps.pool, user.id, await deps.hasher.hash(input.password));
  return startSession(deps, user, client);
}

/** Opens a session and answers with the user's current nickname. */
export async function startSession(
  deps: AuthDeps,
  user: UserRecord,
  client: ClientInfo,
): Promise<AuthResult> {
  const [tokens, nickname] = await Promise.all([
    deps.sessions.open(user.id, client),
    deps.profiles.currentNickname(user.id),
  ]);
  return authResult({ ...user, nickname: nickname ?? user.nickname }, tokens);
}
