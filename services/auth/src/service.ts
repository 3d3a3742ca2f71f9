import {
  Backends,
  migrationsDirOf,
  PgOutboxRelay,
  ServiceClient,
  tokenAuthentication,
  type ServiceContext,
  type ServiceParts,
} from '@messenger/platform';
import type { Config } from './config.js';
import { PasswordHasher } from './passwords/password-hasher.js';
import { loadCommonPasswords } from './passwords/common-passwords.js';
import { SessionClient } from './upstream/session-client.js';
import { ProfileClient } from './upstream/profile-client.js';
import { VerificationMailer } from './email/verification-mailer.js';
import { EmailVerification } from './email/email-verification.js';
import { LoginThrottle } from './login/login-throttle.js';
import { PasswordLogin } from './login/password-login.js';
import { Registration } from './register/registration.js';
import { AuthSessions } from './sessions/auth-sessions.js';
import { GoogleAccounts } from './google/google-accounts.js';
import { RedisStateStore } from './google/redis-state-store.js';
import { authRoutes } from './routes/auth-routes.js';
import { emailRoutes } from './routes/email-routes.js';
import { googleRoutes } from './routes/google-routes.js';

export async function buildService(context: ServiceContext<Config>): Promise<ServiceParts> {
  const { config, logger, registry } = context;
  const backends = await Backends.connect(context, { migrationsDir: migrationsDirOf(__dirname) });
  const { pool, redis } = backends;
  const relay = new PgOutboxRelay({ pool, producer: backends.producer, logger, registry });
  const onCommit = () => {
    relay.wake();
  };
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
  const sessionClient = new SessionClient(upstream('session', config.SESSION_URL));
  const profiles = new ProfileClient(upstream('profile', config.PROFILE_URL), logger);
  const hasher = await PasswordHasher.create();
  const commonPasswords = loadCommonPasswords();
  const authenticate = tokenAuthentication(config, redis);

  const throttle = new LoginThrottle(redis, {
    pairFailures: config.LOGIN_PAIR_MAX_FAILURES,
    pairWindowSeconds: config.LOGIN_PAIR_WINDOW_SECONDS,
    addressFailures: config.LOGIN_ADDRESS_MAX_FAILURES,
    addressWindowSeconds: config.LOGIN_ADDRESS_WINDOW_SECONDS,
    accountFailures: config.LOGIN_ACCOUNT_MAX_FAILURES,
    accountSlowSeconds: config.LOGIN_ACCOUNT_SLOW_SECONDS,
    knownPairDays: config.LOGIN_KNOWN_PAIR_DAYS,
  });
  const sessions = new AuthSessions(pool, sessionClient, profiles, logger);
  const registration = new Registration({
    pool,
    hasher,
    profiles,
    sessions: sessionClient,
    mailer,
    throttle,
    verificationTtlSeconds: config.EMAIL_VERIFICATION_TTL_SECONDS,
    onCommit,
    logger,
  });
  const passwordLogin = new PasswordLogin(pool, hasher, throttle, sessions, logger);
  const verification = new EmailVerification(
    pool,
    redis,
    mailer,
    {
      ttlSeconds: config.EMAIL_VERIFICATION_TTL_SECONDS,
      resendsPerHour: config.EMAIL_RESEND_MAX_PER_HOUR,
    },
    onCommit,
    logger,
  );
  const googleAccounts = new GoogleAccounts(pool, sessionClient, profiles, onCommit, logger);
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
      app.use(
        '/api/v1/auth',
        authRoutes(registration, passwordLogin, sessions, commonPasswords, authenticate),
      );
      app.use('/api/v1/auth', emailRoutes(verification, authenticate));
      app.use(
        '/api/v1/auth',
        googleRoutes(
          googleAccounts,
          sessions,
          new RedisStateStore(redis),
          {
            clientId: config.GOOGLE_CLIENT_ID,
            clientSecret: config.GOOGLE_CLIENT_SECRET,
            callbackUrl: config.GOOGLE_CALLBACK_URL,
            authorizationUrl: config.GOOGLE_AUTH_URL,
            tokenUrl: config.GOOGLE_TOKEN_URL,
            userinfoUrl: config.GOOGLE_USERINFO_URL,
            clientRedirectUrl: config.CLIENT_REDIRECT_URL,
          },
          logger,
        ),
      );
    },
    readiness: backends.readiness,
    closers: backends.closers,
    started: () => {
      relay.start();
    },
  };
}
