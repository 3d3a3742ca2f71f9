import { Router, type RequestHandler } from 'express';
import { authOf, parseInput, problems } from '@messenger/platform';
import {
  nicknameParamsSchema,
  profilePatchSchema,
  profileSearchQuerySchema,
  userIdParamsSchema,
} from '@messenger/contracts';
import type { Profiles } from './profiles.js';

/** `/api/v1/profiles`: every authenticated user may read any profile; only yours is editable. */
export function publicProfileRoutes(profiles: Profiles, authenticate: RequestHandler): Router {
  const router = Router();
  router.use(authenticate);

  router.get('/me', async (req, res) => {
    const profile = await profiles.get(authOf(req).userId);
    if (!profile) throw problems.notFound('You have no profile yet.');
    res.json(profile);
  });

  router.patch('/me', async (req, res) => {
    const patch = parseInput(profilePatchSchema, req.body);
    res.json(await profiles.update(authOf(req).userId, patch));
  });

  router.get('/by-nickname/:nickname', async (req, res) => {
    const { nickname } = parseInput(nicknameParamsSchema, req.params, 'params');
    const profile = await profiles.byNickname(nickname);
    if (!profile) throw problems.notFound('No profile has that nickname.');
    res.json(profile);
  });

  router.get('/:userId', async (req, res) => {
    const { userId } = parseInput(userIdParamsSchema, req.params, 'params');
    const profile = await profiles.get(userId);
    if (!profile) throw problems.notFound('No such profile.');
    res.json(profile);
  });

  router.get('/', async (req, res) => {
    const query = parseInput(profileSearchQuerySchema, req.query, 'query');
    res.json(await profiles.search(query.search, query.limit, query.cursor));
  });

  return router;
}
