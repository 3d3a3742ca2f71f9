import { Router } from 'express';
import { parseInput } from '@messenger/platform';
import { relationshipQuerySchema, userIdParamsSchema } from '@messenger/contracts';
import type { Friends } from './friends.js';
import type { Relationships } from './relationships.js';

/** `/internal`: for other services (docs/conventions.md); never routed by the gateway. */
export function internalRoutes(relationships: Relationships, friends: Friends): Router {
  const router = Router();

  router.get('/relationships', async (req, res) => {
    const { a, b } = parseInput(relationshipQuerySchema, req.query, 'query');
    res.json(await relationships.between(a, b));
  });

  router.get('/friends/:userId', async (req, res) => {
    const { userId } = parseInput(userIdParamsSchema, req.params, 'params');
    res.json({ items: await friends.ids(userId) });
  });

  return router;
}
