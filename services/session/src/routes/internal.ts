import { Router } from 'express';
import {
  openSessionBodySchema,
  refreshSessionBodySchema,
  revokeSessionBodySchema,
  userIdParamsSchema,
} from '@messenger/contracts';
import { parseInput, withTransaction, type Pool } from '@messenger/platform';
import type { SessionTokens } from '../sessions/session-tokens.js';
import type { Revocations } from '../sessions/revocations.js';
import { refreshTokenHash } from '../tokens/refresh-token.js';

export interface InternalDeps {
  pool: Pool;
  sessions: SessionTokens;
  revocations: Revocations;
  onCommit: () => void;
}

/** Service-to-service endpoints (docs/conventions.md); never routed by the gateway. */
export function internalRoutes(deps: InternalDeps): Router {
  const router = Router();
  // Answers carry tokens: no cache may keep them.
  router.use('/internal', (_req, res, next) => {
    res.set('cache-control', 'no-store');
    next();
  });

  router.post('/internal/sessions', async (req, res) => {
    const body = parseInput(openSessionBodySchema, req.body);
    res.status(201).json(await deps.sessions.open(body.userId, body));
  });

  router.post('/internal/sessions/refresh', async (req, res) => {
    const body = parseInput(refreshSessionBodySchema, req.body);
    res.json(await deps.sessions.refresh(body.refreshToken, body));
  });

  // Logout: the named session and/or the session of a refresh token, when they are the user's.
  router.post('/internal/sessions/revoke', async (req, res) => {
    const body = parseInput(revokeSessionBodySchema, req.body);
    await withTransaction(deps.pool, async (tx) => {
      if (body.sessionId)
        await deps.revocations.revoke(
          tx,
          { userId: body.userId, sessionId: body.sessionId },
          'logout',
        );
      if (body.refreshToken) {
        const { rows } = await tx.query<{ session_id: string }>(
          'SELECT session_id FROM refresh_tokens WHERE token_hash = $1',
          [refreshTokenHash(body.refreshToken)],
        );
        const sessionId = rows[0]?.session_id;
        if (sessionId)
          await deps.revocations.revoke(tx, { userId: body.userId, sessionId }, 'logout');
      }
    });
    deps.onCommit();
    res.status(204).end();
  });

  // Every session of a user, e.g. when an account changes hands.
  router.post('/internal/users/:userId/sessions/revoke', async (req, res) => {
    const { userId } = parseInput(userIdParamsSchema, req.params, 'params');
    await withTransaction(deps.pool, (tx) => deps.revocations.revoke(tx, { userId }, 'revoked'));
    deps.onCommit();
    res.status(204).end();
  });

  return router;
}
