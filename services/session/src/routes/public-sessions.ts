import { Router } from 'express';
import { sessionParamsSchema } from '@messenger/contracts';
import { z } from 'zod';
import {
  authOf,
  decodeCursor,
  encodeCursor,
  pageQuerySchema,
  parseInput,
  problems,
  requireAuth,
  withTransaction,
  type Pool,
  type TokenVerifier,
} from '@messenger/platform';
import type { Revocations } from '../sessions/revocations.js';

const cursorSchema = z.object({ createdAt: z.string().min(1).max(64), id: z.uuid() });

interface SessionRow {
  id: string;
  created_at: Date;
  position: string;
  last_used_at: Date;
  user_agent: string | null;
  ip: string | null;
}

export interface PublicSessionDeps {
  pool: Pool;
  revocations: Revocations;
  verify: TokenVerifier;
  idleTtlSeconds: number;
  onCommit: () => void;
}

/** docs/api.md "Sessions": a user sees and revokes only their own live sessions. */
export function publicSessionRoutes(deps: PublicSessionDeps): Router {
  const router = Router();
  router.use('/api/v1/sessions', requireAuth(deps.verify));

  router.get('/api/v1/sessions', async (req, res) => {
    const auth = authOf(req);
    const page = parseInput(pageQuerySchema, req.query, 'query');
    const after = page.cursor ? decodeCursor(cursorSchema, page.cursor) : undefined;
    const { rows } = await deps.pool
      .query<SessionRow>(
        `SELECT id, created_at, created_at::text AS position, last_used_at, user_agent, ip
       FROM sessions
       WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > now()
         AND last_used_at > now() - make_interval(secs => $2)
         AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::uuid))
       ORDER BY created_at DESC, id DESC LIMIT $5`,
        [
          auth.userId,
          deps.idleTtlSeconds,
          after?.createdAt ?? null,
          after?.id ?? null,
          page.limit + 1,
        ],
      )
      .catch((error: unknown) => {
        // A forged cursor whose time Postgres cannot read is bad input, not a fault.
        if (isInvalidTimestamp(error))
          throw problems.validation([{ path: 'query.cursor', message: 'Invalid cursor' }]);
        throw error;
      });
    const items = rows.slice(0, page.limit);
    const last = items.at(-1);
    res.json({
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
    });
  });

  router.delete('/api/v1/sessions/:sessionId', async (req, res) => {
    const auth = authOf(req);
    const { sessionId } = parseInput(sessionParamsSchema, req.params, 'params');
    const owned = await withTransaction(deps.pool, async (tx) => {
      const { rows } = await tx.query<{ user_id: string }>(
        'SELECT user_id FROM sessions WHERE id = $1',
        [sessionId],
      );
      if (rows[0]?.user_id !== auth.userId) return false;
      await deps.revocations.revoke(tx, { userId: auth.userId, sessionId }, 'revoked');
      return true;
    });
    if (!owned) throw problems.notFound('No such session.');
    deps.onCommit();
    res.status(204).end();
  });

  router.delete('/api/v1/sessions', async (req, res) => {
    const auth = authOf(req);
    await withTransaction(deps.pool, (tx) =>
      deps.revocations.revoke(
        tx,
        { userId: auth.userId, exceptSessionId: auth.sessionId },
        'revoked_others',
      ),
    );
    deps.onCommit();
    res.status(204).end();
  });

  return router;
}

function isInvalidTimestamp(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '22007' || code === '22008';
}
