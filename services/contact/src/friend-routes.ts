import { Router, type RequestHandler } from 'express';
import { authOf, pageQuerySchema, parseInput } from '@messenger/platform';
import {
  requestIdParamsSchema,
  requestListQuerySchema,
  sendRequestBodySchema,
  userIdParamsSchema,
} from '@messenger/contracts';
import type { FriendRequests } from './friend-requests.js';
import type { Friends } from './friends.js';

/** `/api/v1/friends`: a user's own requests and friends; nobody sees another's. */
export function friendRoutes(
  requests: FriendRequests,
  friends: Friends,
  authenticate: RequestHandler,
): Router {
  const router = Router();
  router.use(authenticate);

  router.post('/requests', async (req, res) => {
    const target = parseInput(sendRequestBodySchema, req.body);
    const { request, created } = await requests.send(authOf(req).userId, target);
    res.status(created ? 201 : 200).json(request);
  });

  router.get('/requests', async (req, res) => {
    const query = parseInput(requestListQuerySchema, req.query, 'query');
    res.json(await requests.list(authOf(req).userId, query.direction, query.limit, query.cursor));
  });

  router.post('/requests/:requestId/accept', async (req, res) => {
    const { requestId } = parseInput(requestIdParamsSchema, req.params, 'params');
    res.json(await requests.accept(authOf(req).userId, requestId));
  });

  router.post('/requests/:requestId/reject', async (req, res) => {
    const { requestId } = parseInput(requestIdParamsSchema, req.params, 'params');
    res.json(await requests.reject(authOf(req).userId, requestId));
  });

  router.delete('/requests/:requestId', async (req, res) => {
    const { requestId } = parseInput(requestIdParamsSchema, req.params, 'params');
    await requests.cancel(authOf(req).userId, requestId);
    res.status(204).end();
  });

  router.get('/', async (req, res) => {
    const query = parseInput(pageQuerySchema, req.query, 'query');
    res.json(await friends.list(authOf(req).userId, query.limit, query.cursor));
  });

  router.delete('/:userId', async (req, res) => {
    const { userId } = parseInput(userIdParamsSchema, req.params, 'params');
    await friends.remove(authOf(req).userId, userId);
    res.status(204).end();
  });

  return router;
}
