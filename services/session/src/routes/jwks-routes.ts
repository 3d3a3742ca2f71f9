import { Router } from 'express';
import type { SigningKeys } from '../keys/signing-keys.js';

/** `/.well-known`: the public signing keys; verifiers cache them, a new key is published before it signs. */
export function jwksRoutes(keys: SigningKeys): Router {
  const router = Router();
  router.get('/jwks.json', (_req, res) => {
    res.set('cache-control', 'public, max-age=300').json(keys.jwks());
  });
  return router;
}
