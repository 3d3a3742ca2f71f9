import { Router, type Request, type Response } from 'express';
import passport from 'passport';
import type { StateStore } from 'passport-oauth2';
import { Strategy as GoogleStrategy, type Profile } from 'passport-google-oauth20';
import { googleCallbackQuerySchema, type AuthResult } from '@messenger/contracts';
import { HttpProblem, parseInput, problems, type Logger } from '@messenger/platform';
import { clientInfo } from '../auth-result.js';
import type { AuthSessions } from '../sessions/auth-sessions.js';
import type { RedisStateStore } from '../google/redis-state-store.js';
import { googleUserinfoSchema, type GoogleAccounts } from '../google/google-accounts.js';

export interface GoogleSettings {
  clientId: string | undefined;
  clientSecret: string | undefined;
  callbackUrl: string;
  authorizationUrl: string;
  tokenUrl: string;
  userinfoUrl: string;
  clientRedirectUrl: string;
}

const SCOPE = ['openid', 'email', 'profile'];

type Middleware = (req: Request, res: Response, next: (error?: unknown) => void) => void;

const notConfigured = () =>
  new HttpProblem(503, 'google_not_configured', 'Google login is not configured on this server.');
const invalidState = () =>
  new HttpProblem(400, 'invalid_state', 'The login attempt is unknown, expired or already used.');
const oauthFailed = () =>
  new HttpProblem(401, 'oauth_failed', 'Google did not confirm the login; start again.');

function googleAuthenticator(
  stateStore: RedisStateStore,
  settings: GoogleSettings & { clientId: string; clientSecret: string },
) {
  const authenticator = new passport.Passport();
  authenticator.use(
    new GoogleStrategy(
      {
        clientID: settings.clientId,
        clientSecret: settings.clientSecret,
        callbackURL: settings.callbackUrl,
        authorizationURL: settings.authorizationUrl,
        tokenURL: settings.tokenUrl,
        userProfileURL: settings.userinfoUrl,
        scope: SCOPE,
        state: true,
        pkce: true,
        store: stateStore as unknown as StateStore,
      },
      (
        _accessToken: string,
        _refreshToken: string,
        profile: Profile,
        done: (error: null, user: Profile) => void,
      ) => {
        done(null, profile);
      },
    ),
  );
  return authenticator;
}

/** Runs passport's callback leg: state (from Redis), code exchange with the PKCE verifier, userinfo. */
function finishWithGoogle(
  authenticator: passport.Authenticator,
  req: Request,
  res: Response,
  log: Logger,
): Promise<Profile> {
  return new Promise((resolve, reject) => {
    const handler = authenticator.authenticate(
      'google',
      { session: false },
      (error: unknown, profile: Profile | false, info: unknown) => {
        if (error) {
          log.warn({ err: error }, 'google code exchange or userinfo failed');
          reject(oauthFailed());
        } else if (!profile) {
          log.warn({ info }, 'google callback with a bad state');
          reject(invalidState());
        } else resolve(profile);
      },
    ) as Middleware;
    handler(req, res, reject);
  });
}

function wantsJson(req: Request): boolean {
  return req.accepts(['text/html', 'application/json']) === 'application/json';
}

function redirectWithFragment(res: Response, base: string, fields: Record<string, string>): void {
  const target = new URL(base);
  target.hash = new URLSearchParams(fields).toString();
  res
    .set({ 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' })
    .redirect(302, target.toString());
}

/**
 * `/api/v1/auth/google` (docs/api.md): the start redirects to Google with state and PKCE (S256); the callback
 * answers JSON when asked, else redirects to the client with the tokens, or an `error`, in the
 * URL fragment. Without client credentials both answer 503.
 */
export function googleRoutes(
  accounts: GoogleAccounts,
  sessions: AuthSessions,
  stateStore: RedisStateStore,
  settings: GoogleSettings,
  logger: Logger,
): Router {
  const router = Router();
  const { clientId, clientSecret } = settings;
  const authenticator =
    clientId && clientSecret
      ? googleAuthenticator(stateStore, { ...settings, clientId, clientSecret })
      : undefined;

  router.get('/google', (req, res, next) => {
    if (!authenticator) throw notConfigured();
    const start = authenticator.authenticate('google', {
      session: false,
      scope: SCOPE,
    }) as Middleware;
    start(req, res, next);
  });

  router.get('/google/callback', async (req, res) => {
    if (!authenticator) throw notConfigured();
    let result: AuthResult;
    try {
      const query = parseInput(googleCallbackQuerySchema, req.query, 'query');
      if (query.error)
        throw new HttpProblem(401, 'oauth_denied', 'The Google login was cancelled or refused.');
      if (!query.code) throw problems.validation([{ path: 'query.code', message: 'Required' }]);
      const profile = await finishWithGoogle(authenticator, req, res, logger);
      const info = googleUserinfoSchema.safeParse(profile._json);
      if (!info.success) {
        logger.warn({ issues: info.error.issues.length }, 'unusable google userinfo');
        throw oauthFailed();
      }
      const user = await accounts.resolve(info.data);
      result = await sessions.start(user, clientInfo(req));
      logger.info(
        { event: 'auth.login', outcome: 'success', provider: 'google', userId: user.id },
        'login attempt',
      );
    } catch (error) {
      if (error instanceof HttpProblem && error.status < 500 && !wantsJson(req)) {
        redirectWithFragment(res, settings.clientRedirectUrl, { error: error.code });
        return;
      }
      throw error;
    }
    if (wantsJson(req)) {
      res.set('cache-control', 'no-store').json(result);
      return;
    }
    redirectWithFragment(res, settings.clientRedirectUrl, {
      accessToken: result.accessToken,
      refreshToken: result.refreshToken,
      tokenType: result.tokenType,
      expiresIn: String(result.expiresIn),
    });
  });

  return router;
}
