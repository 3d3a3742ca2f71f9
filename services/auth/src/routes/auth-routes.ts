import { Router, type RequestHandler } from 'express';
import { logoutBodySchema, refreshBodySchema } from '@messenger/contracts';
import { authOf, parseInput } from '@messenger/platform';
import { clientInfo } from '../auth-result.js';
import { registerBodySchema, type Registration } from '../register/registration.js';
import { loginBodySchema, type PasswordLogin } from '../login/password-login.js';
import type { AuthSessions } from '../sessions/auth-sessions.js';

/** `/api/v1/auth` (docs/api.md "Auth"): register, login, refresh, logout. */
export function authRoutes(
  registration: Registration,
  passwordLogin: PasswordLogin,
  sessions: AuthSessions,
  commonPasswords: ReadonlySet<string>,
  authenticate: RequestHandler,
): Router {
  const router = Router();
  const registerBody = registerBodySchema(commonPasswords);
  // Answers carry tokens: no cache may keep them (mounted first, this covers every auth route).
  router.use((_req, res, next) => {
    res.set('cache-control', 'no-store');
    next();
  });

  router.post('/register', async (req, res) => {
    const input = parseInput(registerBody, req.body);
    res.status(201).json(await registration.register(input, clientInfo(req)));
  });

  router.post('/login', async (req, res) => {
    const input = parseInput(loginBodySchema, req.body);
    res.json(await passwordLogin.login(input, clientInfo(req)));
  });

  router.post('/refresh', async (req, res) => {
    const input = parseInput(refreshBodySchema, req.body);
    res.json(await sessions.refresh(input.refreshToken, clientInfo(req)));
  });

  router.post('/logout', authenticate, async (req, res) => {
    const input = parseInput(logoutBodySchema, req.body ?? {});
    const { userId, sessionId } = authOf(req);
    await sessions.logout({ userId, sessionId }, input.refreshToken);
    res.status(204).end();
  });

  return router;
}
