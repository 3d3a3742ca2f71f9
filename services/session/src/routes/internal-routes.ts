import { Router } from 'express';
import {
  openSessionBodySchema,
  refreshSessionBodySchema,
  revokeSessionBodySchema,
  userIdParamsSchema,
} from '@messenger/contracts';
import { parseInput } from '@messenger/platform';
import type { SessionTokens } from '../sessions/session-tokens.js';
import type { UserSessions } from '../sessions/user-sessions.js';

/** `/internal` (docs/conventions.md): service-to-service endpoints, never routed by the gateway. */
export function internalRoutes(tokens: SessionTokens, sessions: UserSessions): Router {
  const router = Router();
  // Answers carry tokens: no cache may keep them.
  router.use((_req, res, next) => {
    res.set('cache-control', 'no-store');
    next();
  });

  router.post('/sessions', async (req, res) => {
    const body = parseInput(openSessionBodySchema, req.body);
    res.status(201).json(await tokens.open(body.userId, body));
  });

  router.post('/sessions/refresh', async (req, res) => {
    const body = parseInput(refreshSessionBodySchema, req.body);
    res.json(await tokens.refresh(body.refreshToken, body));
  });

  router.post('/sessions/revoke', async (req, res) => {
    await sessions.logout(parseInput(revokeSessionBodySchema, req.body));
    res.status(204).end();
  });

  router.post('/users/:userId/sessions/revoke', async (req, res) => {
    const { userId } = parseInput(userIdParamsSchema, req.params, 'params');
    await sessions.revokeAll(userId);
    res.status(204).end();
  });

  return router;
}
