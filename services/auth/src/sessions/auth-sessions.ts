import { problems, type Logger, type Pool } from '@messenger/platform';
import type { AuthResult, ClientInfo } from '@messenger/contracts';
import { authResult } from '../auth-result.js';
import { findUserById, type UserRecord } from '../users/user-store.js';
import type { ProfileClient } from '../upstream/profile-client.js';
import type { SessionClient } from '../upstream/session-client.js';

/** A user's sessions as auth answers them: tokens from the session service, the current nickname. */
export class AuthSessions {
  constructor(
    private readonly pool: Pool,
    private readonly sessions: SessionClient,
    private readonly profiles: ProfileClient,
    private readonly logger: Logger,
  ) {}

  /** Opens a session and answers with the user's current nickname. */
  async start(user: UserRecord, client: ClientInfo): Promise<AuthResult> {
    const [tokens, nickname] = await Promise.all([
      this.sessions.open(user.id, client),
      this.profiles.currentNickname(user.id),
    ]);
    return authResult({ ...user, nickname: nickname ?? user.nickname }, tokens);
  }

  async refresh(refreshToken: string, client: ClientInfo): Promise<AuthResult> {
    const tokens = await this.sessions.refresh(refreshToken, client);
    const [user, nickname] = await Promise.all([
      findUserById(this.pool, tokens.userId),
      this.profiles.currentNickname(tokens.userId),
    ]);
    if (!user) throw problems.unauthorized('The refresh token is invalid or expired.');
    return authResult({ ...user, nickname: nickname ?? user.nickname }, tokens);
  }

  /** Ends the caller's session and, when given, the session of a refresh token of theirs. */
  async logout(auth: { userId: string; sessionId: string }, refreshToken?: string): Promise<void> {
    await this.sessions.revoke({ ...auth, ...(refreshToken ? { refreshToken } : {}) });
    this.logger.info({ event: 'auth.logout', ...auth }, 'logged out');
  }
}
