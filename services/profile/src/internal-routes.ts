import { Router } from 'express';
import { HttpProblem, parseInput, problems } from '@messenger/platform';
import {
  createProfileBodySchema,
  nicknameParamsSchema,
  profileBatchBodySchema,
} from '@messenger/contracts';
import type { Profiles } from './profiles.js';

/** `/internal/profiles`: for other services (docs/conventions.md); never routed by the gateway. */
export function internalProfileRoutes(profiles: Profiles): Router {
  const router = Router();

  router.post('/', async (req, res) => {
    const { userId, nickname } = parseInput(createProfileBodySchema, req.body);
    const outcome = await profiles.create(userId, nickname);
    switch (outcome.result) {
      case 'created':
        res.status(201).json(outcome.profile);
        return;
      case 'existing':
        res.status(200).json(outcome.profile);
        return;
      case 'nickname_taken':
        throw problems.conflict('nickname_taken', 'That nickname is taken.');
      case 'other_nickname':
        throw new HttpProblem(
          409,
          'profile_exists',
          'This user has a profile with another nickname.',
        );
    }
  });

  router.post('/batch', async (req, res) => {
    const { userIds } = parseInput(profileBatchBodySchema, req.body);
    res.json({ items: await profiles.getMany(userIds) });
  });

  router.get('/by-nickname/:nickname', async (req, res) => {
    const { nickname } = parseInput(nicknameParamsSchema, req.params, 'params');
    const profile = await profiles.byNickname(nickname);
    if (!profile) throw problems.notFound('No profile has that nickname.');
    res.json(profile);
  });

  return router;
}
