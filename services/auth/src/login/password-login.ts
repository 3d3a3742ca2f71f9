import type { z } from 'zod';
import { HttpProblem, type Logger, type Pool } from '@messenger/platform';
import {
  loginBodySchema as loginBody,
  type AuthResult,
  type ClientInfo,
} from '@messenger/contracts';
import { findUserByEmail, updatePasswordHash } from '../users/user-store.js';
import { loginPasswordSchema } from '../passwords/password-policy.js';
import type { PasswordHasher } from '../passwords/password-hasher.js';
import type { AuthSessions } from '../sessions/auth-sessions.js';
import { accountKey, type LoginThrottle } from './login-throttle.js';

/** The contract's login body, the password normalised as at registration. */
export const loginBodySchema = loginBody.extend({ password: loginPasswordSchema });
export type LoginInput = z.infer<typeof loginBodySchema>;

type Outcome = 'success' | 'invalid_credentials' | 'rate_limited';

const invalidCredentials = () =>
  new HttpProblem(401, 'invalid_credentials', 'The email or password is wrong.');

/**
 * Password login. An unknown email, an account without a password (Google only) and a wrong
 * password all cost one argon2 verification and give the same 401, so neither the answer nor
 * its timing tells whether the email is registered.
 */
export class PasswordLogin {
  constructor(
    private readonly pool: Pool,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly sessions: AuthSessions,
    private readonly logger: Logger,
  ) {}

  async login(input: LoginInput, client: ClientInfo): Promise<AuthResult> {
    const account = accountKey(input.email);
    const address = client.ip ?? 'unknown';
    const attempt = await this.throttle.attempt(account, address).catch((error: unknown) => {
      this.log('rate_limited', account, client);
      throw error;
    });
    const user = await findUserByEmail(this.pool, input.email);
    const passwordHash = user?.passwordHash;
    const valid = passwordHash
      ? await this.hasher.verify(passwordHash, input.password)
      : await this.hasher.verifyNothing(input.password);
    if (!user || !passwordHash || !valid) {
      this.log('invalid_credentials', account, client, user?.id);
      throw invalidCredentials();
    }
    await attempt.succeeded();
    this.log('success', account, client, user.id);
    if (this.hasher.needsRehash(passwordHash))
      await updatePasswordHash(this.pool, user.id, await this.hasher.hash(input.password));
    return this.sessions.start(user, client);
  }

  /** Logs every attempt, never the password or the email itself. */
  private log(outcome: Outcome, account: string, client: ClientInfo, userId?: string): void {
    this.logger.info(
      { event: 'auth.login', outcome, account: account.slice(0, 16), ip: client.ip, userId },
      'login attempt',
    );
  }
}
