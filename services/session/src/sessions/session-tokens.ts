import { randomUUID } from 'node:crypto';
import {
  Counter,
  enqueueEvent,
  HttpProblem,
  problems,
  withTransaction,
  type Pool,
  type PoolClient,
  type Registry,
} from '@messenger/platform';
import type { AccessTokenIssuer } from '../tokens/access-token.js';
import { newRefreshToken, refreshTokenHash } from '../tokens/refresh-token.js';
import type { ClientInfo, IssuedTokens } from '@messenger/contracts';
import type { Revocations } from './revocations.js';
import {
  insertRefreshToken,
  insertSession,
  lockPresentedToken,
  spendRefreshToken,
  touchSession,
} from './session-store.js';

export interface SessionPolicy {
  idleTtlSeconds: number;
  maxAgeSeconds: number;
}

type RefreshOutcome =
  | { kind: 'rotated'; sessionId: string; userId: string; refreshToken: string }
  | { kind: 'reused' }
  | { kind: 'invalid' };

/**
 * Opens sessions and rotates their refresh tokens. Each session is one refresh-token family:
 * a token is good once; presenting a spent one revokes the session and with it every token of
 * the family, refresh and access alike.
 */
export class SessionTokens {
  private readonly refreshes: Counter<'result'>;
  private readonly opened: Counter;

  constructor(
    private readonly pool: Pool,
    private readonly access: AccessTokenIssuer,
    private readonly revocations: Revocations,
    private readonly policy: SessionPolicy,
    private readonly onCommit: () => void,
    registry: Registry,
  ) {
    this.refreshes = new Counter({
      name: 'session_refreshes_total',
      help: 'Refresh-token presentations, by result (rotated, reused, invalid)',
      labelNames: ['result'] as const,
      registers: [registry],
    });
    this.opened = new Counter({
      name: 'session_opened_total',
      help: 'Sessions opened (logins)',
      registers: [registry],
    });
  }

  async open(userId: string, client: ClientInfo): Promise<IssuedTokens> {
    const sessionId = randomUUID();
    const refreshToken = newRefreshToken();
    await withTransaction(this.pool, async (tx) => {
      await insertSession(tx, {
        id: sessionId,
        userId,
        maxAgeSeconds: this.policy.maxAgeSeconds,
        client,
      });
      await insertRefreshToken(tx, refreshTokenHash(refreshToken), sessionId);
      await enqueueEvent(tx, 'session', {
        type: 'session.created',
        key: userId,
        data: { sessionId, userId },
      });
    });
    this.onCommit();
    this.opened.inc();
    return this.tokens(userId, sessionId, refreshToken);
  }

  async refresh(presented: string, client: ClientInfo): Promise<IssuedTokens> {
    const outcome = await withTransaction(this.pool, (tx) => this.rotate(tx, presented, client));
    this.onCommit();
    this.refreshes.inc({ result: outcome.kind });
    if (outcome.kind === 'reused')
      throw new HttpProblem(401, 'token_reused', 'This refresh token was already used.');
    if (outcome.kind === 'invalid')
      throw problems.unauthorized('The refresh token is invalid or expired.');
    return this.tokens(outcome.userId, outcome.sessionId, outcome.refreshToken);
  }

  private async rotate(
    tx: PoolClient,
    presented: string,
    client: ClientInfo,
  ): Promise<RefreshOutcome> {
    const hash = refreshTokenHash(presented);
    const found = await lockPresentedToken(tx, hash);
    if (!found) return { kind: 'invalid' };
    if (found.spent_at) {
      await this.revocations.revoke(tx, { sessionId: found.session_id }, 'token_reused');
      return { kind: 'reused' };
    }
    const now = Date.now();
    const idleSince = now - this.policy.idleTtlSeconds * 1000;
    if (
      found.revoked_at ||
      found.expires_at.getTime() <= now ||
      found.last_used_at.getTime() <= idleSince
    )
      return { kind: 'invalid' };
    const refreshToken = newRefreshToken();
    await spendRefreshToken(tx, hash);
    await insertRefreshToken(tx, refreshTokenHash(refreshToken), found.session_id);
    await touchSession(tx, found.session_id, client);
    return { kind: 'rotated', sessionId: found.session_id, userId: found.user_id, refreshToken };
  }

  private async tokens(
    userId: string,
    sessionId: string,
    refreshToken: string,
  ): Promise<IssuedTokens> {
    return {
      accessToken: await this.access.issue(userId, sessionId),
      refreshToken,
      tokenType: 'Bearer',
      expiresIn: this.access.ttlSeconds,
      sessionId,
      userId,
    };
  }
}
