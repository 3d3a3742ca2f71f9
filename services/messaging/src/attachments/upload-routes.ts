import { Router } from 'express';
import { authOf, parseInput } from '@messenger/platform';
import { uploadBody } from '@messenger/contracts';
import type { Uploads } from './uploads.js';

/** `POST /uploads` (docs/api.md, "Attachments"). */
export function uploadRoutes(uploads: Uploads): Router {
  const router = Router();
  router.post('/uploads', async (req, res) => {
    const body = parseInput(uploadBody, req.body);
    res.status(201).json(await uploads.start(authOf(req).userId, body));
  });
  return router;
}
