import {
  Backends,
  createTokenVerifier,
  migrationsDirOf,
  PgOutboxRelay,
  redisRevocationCheck,
  ServiceClient,
  type ServiceContext,
  type ServiceParts,
} from '@messenger/platform';
import type { Config } from './config.js';
import type { AuthDeps } from './deps.js';
import { PasswordHasher } from './passwords/password-hasher.js';
import { loadCommonPasswords } from './passwords/common-passwords.js';
import { SessionClient } from './upstream/session-client.js';
import { ProfileClient } from './upstream/profile-client.js';
import { VerificationMailer } from './email/verification-mailer.js';
import { LoginThrottle } from './login/login-throttle.js';
import { authRoutes } from './routes/auth-routes.js';
import { emailRoutes } from './routes/email-routes.js';
import { googleRoutes } from './google/google-routes.js';

export async function buildService(context: ServiceContext<Config>): Promise<ServiceParts> {
  const { config, logger, registry } = context;
  const backends = await Backends.connect(context, { migrationsDir: migrationsDirOf(__dirname) });
  const { pool, redis } = backends;
  const relay = new PgOutboxRelay({ pool, producer: backends.producer, logger, registry });
  const mailer = new VerificationMailer(
    {
      smtpUrl: config.SMTP_URL,
      from: config.MAIL_FROM,
      verifyUrl: config.EMAIL_VERIFY_URL,
      ttlSeconds: config.EMAIL_VERIFICATION_TTL_SECONDS,
    },
    logger,
  );
  const upstream = (service: string, baseUrl: string) =>
    new ServiceClient({ service, baseUrl, timeoutMs: config.UPSTREAM_TIMEOUT_MS, logger });

  const deps: AuthDeps = {
    pool,
    redis,
    logger,
    hasher: await PasswordHasher.create(),
    commonPasswords: loadCommonPasswords(),
    sessions: new SessionClient(upstream('session', config.SESSION_URL)),
    profiles: new ProfileClient(upstream('profile', config.PROFILE_URL), logger),
    mailer,
    verify: createTokenVerifier({
      jwksUrl: config.JWKS_URL,
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      isRevoked: redisRevocationCheck(redis),
    }),
    verificationTtlSeconds: config.EMAIL_VERIFICATION_TTL_SECONDS,
    onCommit: () => {
      relay.wake();
    },
  };
  const throttle = new LoginThrottle(redis, {
    failuresPerAccount: config.LOGIN_MAX_FAILURES_PER_ACCOUNT,
    failuresPerIp: config.LOGIN_MAX_FAILURES_PER_IP,
  });
  if (!config.GOOGLE_CLIENT_ID || !config.GOOGLE_CLIENT_SECRET)
    logger.warn('GOOGLE_CLIENT_ID/GOOGLE_CLIENT_SECRET are not set: Google login answers 503');

  backends.addCloser({ name: 'outbox-relay', close: () => relay.stop() });
  backends.addCloser({
    name: 'mailer',
    close: () => {
      mailer.close();
      return Promise.resolve();
    },
  });
  return {
    routes: (app) => {
      app.use(authRoutes({ ...deps, throttle }));
      app.use(emailRoutes(deps, config.EMAIL_RESEND_MAX_PER_HOUR));
      app.use(
        googleRoutes(deps, {
          clientId: config.GOOGLE_CLIENT_ID,
          clientSecret: config.GOOGLE_CLIENT_SECRET,
          callbackUrl: config.GOOGLE_CALLBACK_URL,
          authorizationUrl: config.GOOGLE_AUTH_URL,
          tokenUrl: config.GOOGLE_TOKEN_URL,
          userinfoUrl: config.GOOGLE_USERINFO_URL,
          clientRedirectUrl: config.CLIENT_REDIRECT_URL,
        }),
      );
    },
    readiness: backends.readiness,
    closers: backends.closers,
    started: () => {
      relay.start();
    },
  };
}
