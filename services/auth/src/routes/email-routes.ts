import { Router, type RequestHandler } from 'express';
import { verifyEmailBodySchema } from '@messenger/contracts';
import { authOf, parseInput } from '@messenger/platform';
import type { EmailVerification } from '../email/email-verification.js';

/** `/api/v1/auth/verify-email` (docs/api.md): the public single-use token, and resend (Bearer). */
export function emailRoutes(verification: EmailVerification, authenticate: RequestHandler): Router {
  const router = Router();

  router.post('/verify-email', async (req, res) => {
    const { token } = parseInput(verifyEmailBodySchema, req.body);
    await verification.verify(token);
    res.status(204).end();
  });

  router.post('/verify-email/resend', authenticate, async (req, res) => {
    await verification.resend(authOf(req).userId);
    res.status(202).end();
  });

  return router;
}
