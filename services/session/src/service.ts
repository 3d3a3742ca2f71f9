import {
  Backends,
  migrationsDirOf,
  PgOutboxRelay,
  PollingLoop,
  tokenAuthentication,
  type ServiceContext,
  type ServiceParts,
} from '@messenger/platform';
import type { Config } from './config.js';
import { KeySealer } from './keys/key-sealing.js';
import { SigningKeys } from './keys/signing-keys.js';
import { signingKeyRoutes } from './keys/signing-key-routes.js';
import { accessTokenIssuer } from './tokens/access-token.js';
import { Revocations } from './sessions/revocations.js';
import { SessionTokens } from './sessions/session-tokens.js';
import { sessionCleanup } from './sessions/cleanup.js';
import { UserSessions } from './sessions/user-sessions.js';
import { internalRoutes } from './routes/internal-routes.js';
import { sessionRoutes } from './routes/session-routes.js';
import { jwksRoutes } from './routes/jwks-routes.js';

/** Verifiers may see a token until it expires, give or take this much clock skew. */
const CLOCK_SKEW_SECONDS = 60;
const KEY_RELOAD_MS = 60 * 1000;

export async function buildService(context: ServiceContext<Config>): Promise<ServiceParts> {
  const { config, logger, registry } = context;
  const backends = await Backends.connect(context, { migrationsDir: migrationsDirOf(__dirname) });
  const { pool, redis } = backends;

  const sealer = new KeySealer(config.SIGNING_KEY_ENCRYPTION_KEY);
  if (!sealer.sealing)
    logger.warn('SIGNING_KEY_ENCRYPTION_KEY is not set: private signing keys are stored unsealed');
  const keys = new SigningKeys(pool, sealer, {
    rotationMs: config.SIGNING_KEY_ROTATION_SECONDS * 1000,
    publishLeadMs: config.SIGNING_KEY_PUBLISH_LEAD_SECONDS * 1000,
    retainMs: (config.ACCESS_TOKEN_TTL_SECONDS + CLOCK_SKEW_SECONDS) * 1000,
  });
  await keys.reload();
  const keyReload = new PollingLoop({
    name: 'signing-keys',
    intervalMs: KEY_RELOAD_MS,
    logger,
    step: async () => {
      await keys.reload();
      return false;
    },
  });

  const relay = new PgOutboxRelay({ pool, producer: backends.producer, logger, registry });
  const onCommit = () => {
    relay.wake();
  };
  const revocations = new Revocations(redis, config.ACCESS_TOKEN_TTL_SECONDS + CLOCK_SKEW_SECONDS);
  const tokens = new SessionTokens(
    pool,
    accessTokenIssuer(keys, {
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      ttlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
    }),
    revocations,
    {
      idleTtlSeconds: config.SESSION_IDLE_TTL_SECONDS,
      maxAgeSeconds: config.SESSION_MAX_AGE_SECONDS,
    },
    onCommit,
    registry,
  );
  const sessions = new UserSessions(pool, revocations, config.SESSION_IDLE_TTL_SECONDS, onCommit);
  const authenticate = tokenAuthentication(config, redis);
  const cleanup = sessionCleanup(pool, config.SESSION_IDLE_TTL_SECONDS, logger);

  backends.addCloser({ name: 'outbox-relay', close: () => relay.stop() });
  backends.addCloser({ name: 'signing-key-reload', close: () => keyReload.stop() });
  backends.addCloser({ name: 'session-cleanup', close: () => cleanup.stop() });
  return {
    routes: (app) => {
      app.use('/.well-known', jwksRoutes(keys));
      app.use('/internal/signing-keys', signingKeyRoutes(keys));
      app.use('/internal', internalRoutes(tokens, sessions));
      app.use('/api/v1/sessions', sessionRoutes(sessions, authenticate));
    },
    readiness: backends.readiness,
    closers: backends.closers,
    started: () => {
      relay.start();
      keyReload.start();
      cleanup.start();
    },
  };
}
