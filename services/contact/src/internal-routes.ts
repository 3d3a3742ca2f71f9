import { Router } from 'express';
import { parseInput } from '@messenger/platform';
import { relationshipQuery, userIdParams } from './contact-input.js';
import type { Friends } from './friends.js';
import type { Relationships } from './relationships.js';

/** `/internal`: for other services (docs/conventions.md); never routed by the gateway. */
export function internalRoutes(relationships: Relationships, friends: Friends): Router {
  const router = Router();

  router.get('/relationships', async (req, res) => {
    const { a, b } = parseInput(relationshipQuery, req.query, 'query');
    res.json(await relationships.between(a, b));
  });

  router.get('/friends/:userId', async (req, res) => {
    const { userId } = parseInput(userIdParams, req.params, 'params');
    res.json({ items: await friends.ids(userId) });
  });

  return router;
}
