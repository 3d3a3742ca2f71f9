import { Router, type RequestHandler } from 'express';
import { messageSearchQuerySchema } from '@messenger/contracts';
import { authOf, parseInput, type Pool } from '@messenger/platform';
import { searchMessages } from './message-search.js';

/** `/api/v1/search`: a member searches the messages of the chats they are in. */
export function searchRoutes(pool: Pool, authenticate: RequestHandler): Router {
  const router = Router();
  router.use(authenticate);

  router.get('/messages', async (req, res) => {
    const query = parseInput(messageSearchQuerySchema, req.query, 'query');
    res.json(await searchMessages(pool, authOf(req).userId, query));
  });

  return router;
}
