import { Router, type RequestHandler } from 'express';
import { sessionParamsSchema } from '@messenger/contracts';
import { authOf, pageQuerySchema, parseInput } from '@messenger/platform';
import type { UserSessions } from '../sessions/user-sessions.js';

/** `/api/v1/sessions` (docs/api.md "Sessions"): a user sees and revokes only their own. */
export function sessionRoutes(sessions: UserSessions, authenticate: RequestHandler): Router {
  const router = Router();
  router.use(authenticate);

  router.get('/', async (req, res) => {
    const page = parseInput(pageQuerySchema, req.query, 'query');
    res.json(await sessions.list(authOf(req), page));
  });

  router.delete('/:sessionId', async (req, res) => {
    const { sessionId } = parseInput(sessionParamsSchema, req.params, 'params');
    await sessions.revokeOwn(authOf(req).userId, sessionId);
    res.status(204).end();
  });

  router.delete('/', async (req, res) => {
    const auth = authOf(req);
    await sessions.revokeOthers(auth.userId, auth.sessionId);
    res.status(204).end();
  });

  return router;
}
