import { RELATIONSHIP_CACHE, type PairState } from '@messenger/contracts';
import {
  Backends,
  migrationsDirOf,
  PgOutboxRelay,
  ServiceClient,
  tokenAuthentication,
  type ServiceContext,
  type ServiceParts,
} from '@messenger/platform';
import { blockRoutes } from './block-routes.js';
import { Blocks } from './blocks.js';
import type { Config } from './config.js';
import { friendRoutes } from './friend-routes.js';
import { FriendRequests } from './friend-requests.js';
import { Friends } from './friends.js';
import { GuardedCache } from '@messenger/platform';
import { internalRoutes } from './internal-routes.js';
import { PairWriter } from './pair-writer.js';
import { ProfileClient } from './profile-client.js';
import { Relationships } from './relationships.js';

const RELATIONSHIP_CACHE_TTL_MS = 5 * 60_000;

export async function buildService(context: ServiceContext<Config>): Promise<ServiceParts> {
  const { config, logger, registry } = context;
  const backends = await Backends.connect(context, { migrationsDir: migrationsDirOf(__dirname) });
  const { pool, redis } = backends;
  const relay = new PgOutboxRelay({ pool, producer: backends.producer, logger, registry });
  backends.addCloser({ name: 'outbox-relay', close: () => relay.stop() });
  const relationshipCache = new GuardedCache<PairState>({
    redis,
    name: RELATIONSHIP_CACHE,
    ttlMs: RELATIONSHIP_CACHE_TTL_MS,
    logger,
    registry,
  });
  const pairs = new PairWriter(pool, relationshipCache, relay);
  const profiles = new ProfileClient(
    new ServiceClient({
      service: 'profile',
      baseUrl: config.PROFILE_URL,
      timeoutMs: config.UPSTREAM_TIMEOUT_MS,
      logger,
    }),
  );
  const friends = new Friends(pool, pairs, profiles);
  const requests = new FriendRequests(pool, pairs, profiles);
  const blocks = new Blocks(pool, pairs, profiles);
  const relationships = new Relationships(pool, relationshipCache);
  const authenticate = tokenAuthentication(config, redis);
  return {
    routes: (app) => {
      app.use('/api/v1/friends', friendRoutes(requests, friends, authenticate));
      app.use('/api/v1/blocks', blockRoutes(blocks, authenticate));
      app.use('/internal', internalRoutes(relationships, friends));
    },
    readiness: backends.readiness,
    closers: backends.closers,
    started: () => {
      relay.start();
    },
  };
}
