import type { Profile } from '@messenger/contracts';
import { topics } from '@messenger/contracts';
import {
  Backends,
  migrationsDirOf,
  PgOutboxRelay,
  startConsumer,
  tokenAuthentication,
  type ServiceContext,
  type ServiceParts,
} from '@messenger/platform';
import type { Config } from './config.js';
import { GuardedCache } from '@messenger/platform';
import { internalProfileRoutes } from './internal-routes.js';
import { Profiles } from './profiles.js';
import { publicProfileRoutes } from './public-routes.js';
import { userCreatedHandler } from './user-created-consumer.js';

const PROFILE_CACHE_TTL_MS = 5 * 60_000;

export async function buildService(context: ServiceContext<Config>): Promise<ServiceParts> {
  const { config, logger, registry } = context;
  const backends = await Backends.connect(context, { migrationsDir: migrationsDirOf(__dirname) });
  const { pool, redis } = backends;
  const relay = new PgOutboxRelay({ pool, producer: backends.producer, logger, registry });
  backends.addCloser({ name: 'outbox-relay', close: () => relay.stop() });
  const cache = new GuardedCache<Profile>({
    redis,
    name: 'profile',
    ttlMs: PROFILE_CACHE_TTL_MS,
    logger,
    registry,
  });
  const profiles = new Profiles(pool, cache, relay);
  const authenticate = tokenAuthentication(config, redis);
  return {
    routes: (app) => {
      app.use('/api/v1/profiles', publicProfileRoutes(profiles, authenticate));
      app.use('/internal/profiles', internalProfileRoutes(profiles));
    },
    readiness: backends.readiness,
    closers: backends.closers,
    started: async () => {
      relay.start();
      const consumer = await startConsumer({
        kafka: backends.kafka,
        groupId: 'profile',
        topics: [topics.user],
        logger,
        registry,
        handle: userCreatedHandler(pool, logger),
      });
      backends.addConsumer(consumer);
    },
  };
}
