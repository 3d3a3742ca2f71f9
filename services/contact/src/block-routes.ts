import { Router, type RequestHandler } from 'express';
import { authOf, pageQuerySchema, parseInput } from '@messenger/platform';
import type { Blocks } from './blocks.js';
import { userIdParamsSchema } from '@messenger/contracts';

/** `/api/v1/blocks`: the caller's own blocks. */
export function blockRoutes(blocks: Blocks, authenticate: RequestHandler): Router {
  const router = Router();
  router.use(authenticate);

  router.post('/:userId', async (req, res) => {
    const { userId } = parseInput(userIdParamsSchema, req.params, 'params');
    res.status(201).json(await blocks.block(authOf(req).userId, userId));
  });

  router.delete('/:userId', async (req, res) => {
    const { userId } = parseInput(userIdParamsSchema, req.params, 'params');
    await blocks.unblock(authOf(req).userId, userId);
    res.status(204).end();
  });

  router.get('/', async (req, res) => {
    const query = parseInput(pageQuerySchema, req.query, 'query');
    res.json(await blocks.list(authOf(req).userId, query.limit, query.cursor));
  });

  return router;
}
