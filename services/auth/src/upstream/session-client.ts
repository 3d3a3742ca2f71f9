import { internalOperations, type ClientInfo, type IssuedTokens } from '@messenger/contracts';
import { HttpProblem, problems, type ServiceClient } from '@messenger/platform';

/** Auth's use of the session service's internal operations. */
export class SessionClient {
  constructor(private readonly session: ServiceClient) {}

  async open(userId: string, client: ClientInfo): Promise<IssuedTokens> {
    const result = await this.session.call(internalOperations.openSession, {
      body: { userId, ...client },
    });
    return result.body;
  }

  /** Rotates a refresh token; 401 `token_reused` / `unauthorized` pass through unchanged. */
  async refresh(refreshToken: string, client: ClientInfo): Promise<IssuedTokens> {
    const result = await this.session.call(internalOperations.refreshSession, {
      body: { refreshToken, ...client },
    });
    if (result.ok) return result.body;
    if (result.code === 'token_reused')
      throw new HttpProblem(401, 'token_reused', 'This refresh token was already used.');
    throw problems.unauthorized('The refresh token is invalid or expired.');
  }

  async revoke(request: { userId: string; sessionId?: string; refreshToken?: string }) {
    await this.session.call(internalOperations.revokeSession, { body: request });
  }

  async revokeAll(userId: string): Promise<void> {
    await this.session.call(internalOperations.revokeUserSessions, { params: { userId } });
  }
}
