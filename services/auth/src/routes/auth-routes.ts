import { Router } from 'express';
import { logoutBodySchema, refreshBodySchema } from '@messenger/contracts';
import { authOf, parseInput, problems, requireAuth } from '@messenger/platform';
import type { AuthDeps } from '../deps.js';
import { authResult, clientInfo } from '../auth-result.js';
import { registerBodySchema, registerUser } from '../register/register.js';
import { login, loginBodySchema } from '../login/login.js';
import type { LoginThrottle } from '../login/login-throttle.js';
import { findUserById } from '../users/user-store.js';

/** docs/api.md "Auth": register, login, refresh, logout. */
export function authRoutes(deps: AuthDeps & { throttle: LoginThrottle }): Router {
  const router = Router();
  const registerBody = registerBodySchema(deps.commonPasswords);
  // Answers carry tokens: no cache may keep them.
  router.use('/api/v1/auth', (_req, res, next) => {
    res.set('cache-control', 'no-store');
    next();
  });

  router.post('/api/v1/auth/register', async (req, res) => {
    const input = parseInput(registerBody, req.body);
    res.status(201).json(await registerUser(deps, input, clientInfo(req)));
  });

  router.post('/api/v1/auth/login', async (req, res) => {
    const input = parseInput(loginBodySchema, req.body);
    res.json(await login(deps, input, clientInfo(req)));
  });

  router.post('/api/v1/auth/refresh', async (req, res) => {
    const input = parseInput(refreshBodySchema, req.body);
    const tokens = await deps.sessions.refresh(input.refreshToken, clientInfo(req));
    const [user, nickname] = await Promise.all([
      findUserById(deps.pool, tokens.userId),
      deps.profiles.currentNickname(tokens.userId),
    ]);
    if (!user) throw problems.unauthorized('The refresh token is invalid or expired.');
    res.json(authResult({ ...user, nickname: nickname ?? user.nickname }, tokens));
  });

  router.post('/api/v1/auth/logout', requireAuth(deps.verify), async (req, res) => {
    const auth = authOf(req);
    const input = parseInput(logoutBodySchema, req.body ?? {});
    await deps.sessions.revoke({
      userId: auth.userId,
      sessionId: auth.sessionId,
      ...(input.refreshToken ? { refreshToken: input.refreshToken } : {}),
    });
    deps.logger.info(
      { event: 'auth.logout', userId: auth.userId, sessionId: auth.sessionId },
      'logged out',
    );
    res.status(204).end();
  });

  return router;
}
