import { z } from 'zod';
import {
  decodeCursor,
  encodeCursor,
  problems,
  withTransaction,
  type Page,
  type Pool,
} from '@messenger/platform';
import { idSchema, type sessionSchema } from '@messenger/contracts';
import { refreshTokenHash } from '../tokens/refresh-token.js';
import type { Revocations } from './revocations.js';
import { listLiveSessions, sessionOfRefreshToken, sessionOwner } from './session-store.js';

type Session = z.infer<typeof sessionSchema>;

const cursorSchema = z.object({ createdAt: z.string().min(1).max(64), id: idSchema });

/** A forged cursor whose time Postgres cannot read is bad input, not a fault. */
function isInvalidTimestamp(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '22007' || code === '22008';
}

/** A user's own sessions: listing them and ending them (docs/api.md "Sessions", logout). */
export class UserSessions {
  constructor(
    private readonly pool: Pool,
    private readonly revocations: Revocations,
    private readonly idleTtlSeconds: number,
    /** Wakes the outbox relay after a commit that queued events. */
    private readonly onCommit: () => void,
  ) {}

  /** The live sessions of `auth.userId`, newest first; `current` marks the caller's own. */
  async list(
    auth: { userId: string; sessionId: string },
    page: { limit: number; cursor?: string | undefined },
  ): Promise<Page<Session>> {
    const after = page.cursor ? decodeCursor(cursorSchema, page.cursor) : undefined;
    const rows = await listLiveSessions(this.pool, {
      userId: auth.userId,
      idleTtlSeconds: this.idleTtlSeconds,
      after,
      limit: page.limit + 1,
    }).catch((error: unknown) => {
      if (isInvalidTimestamp(error))
        throw problems.validation([{ path: 'query.cursor', message: 'Invalid cursor' }]);
      throw error;
    });
    const items = rows.slice(0, page.limit);
    const last = items.at(-1);
    return {
      items: items.map((row) => ({
        id: row.id,
        createdAt: row.created_at.toISOString(),
        lastUsedAt: row.last_used_at.toISOString(),
        userAgent: row.user_agent,
        ip: row.ip,
        current: row.id === auth.sessionId,
      })),
      nextCursor:
        rows.length > page.limit && last
          ? encodeCursor({ createdAt: last.position, id: last.id })
          : null,
    };
  }

  /** Ends one of the user's sessions; another user's session is 404, as if it did not exist. */
  async revokeOwn(userId: string, sessionId: string): Promise<void> {
    const owned = await withTransaction(this.pool, async (tx) => {
      if ((await sessionOwner(tx, sessionId)) !== userId) return false;
      await this.revocations.revoke(tx, { userId, sessionId }, 'revoked');
      return true;
    });
    if (!owned) throw problems.notFound('No such session.');
    this.onCommit();
  }

  async revokeOthers(userId: string, currentSessionId: string): Promise<void> {
    await withTransaction(this.pool, (tx) =>
      this.revocations.revoke(tx, { userId, exceptSessionId: currentSessionId }, 'revoked_others'),
    );
    this.onCommit();
  }

  /** Logout: the named session and/or the session of a refresh token, when they are the user's. */
  async logout(request: { userId: string; sessionId?: string; refreshToken?: string }) {
    const { userId } = request;
    await withTransaction(this.pool, async (tx) => {
      if (request.sessionId)
        await this.revocations.revoke(tx, { userId, sessionId: request.sessionId }, 'logout');
      if (request.refreshToken) {
        const sessionId = await sessionOfRefreshToken(tx, refreshTokenHash(request.refreshToken));
        if (sessionId) await this.revocations.revoke(tx, { userId, sessionId }, 'logout');
      }
    });
    this.onCommit();
  }

  /** Every session of a user, e.g. when an account changes hands. */
  async revokeAll(userId: string): Promise<void> {
    await withTransaction(this.pool, (tx) => this.revocations.revoke(tx, { userId }, 'revoked'));
    this.onCommit();
  }
}
