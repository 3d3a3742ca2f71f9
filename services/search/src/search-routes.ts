import { Router, type RequestHandler } from 'express';
import { messageSearchQuerySchema } from '@messenger/contracts';
import { authOf, parseInput } from '@messenger/platform';
import type { MessageSearch } from './message-search.js';

/** `/api/v1/search`: a member searches the messages of the chats they are in. */
export function searchRoutes(messages: MessageSearch, authenticate: RequestHandler): Router {
  const router = Router();
  router.use(authenticate);

  router.get('/messages', async (req, res) => {
    const query = parseInput(messageSearchQuerySchema, req.query, 'query');
    res.json(await messages.search(authOf(req).userId, query));
  });

  return router;
}
