import { Router } from 'express';
import { internalOperations } from '@messenger/contracts';
import { parseInput } from '@messenger/platform';
import type { SigningKeys } from './signing-keys.js';

/**
 * `/internal/signing-keys`: rotation on a period the caller names (the operator's
 * spec.auth.keyRotationPeriod).
 */
export function signingKeyRoutes(keys: SigningKeys): Router {
  const router = Router();
  router.post('/rotate', async (req, res) => {
    const body = parseInput(internalOperations.rotateSigningKeys.body, req.body);
    res.set('cache-control', 'no-store').json(await keys.rotate(body.rotationSeconds * 1000));
  });
  return router;
}
