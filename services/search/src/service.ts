import { topics } from '@messenger/contracts';
import {
  Backends,
  migrationsDirOf,
  startConsumer,
  tokenAuthentication,
  type ServiceContext,
  type ServiceParts,
} from '@messenger/platform';
import type { Config } from './config.js';
import { messageEventsHandler } from './message-consumer.js';
import { MessageSearch } from './message-search.js';
import { searchRoutes } from './search-routes.js';

export async function buildService(context: ServiceContext<Config>): Promise<ServiceParts> {
  const { config, logger, registry } = context;
  const backends = await Backends.connect(context, { migrationsDir: migrationsDirOf(__dirname) });
  const { pool, redis } = backends;
  const authenticate = tokenAuthentication(config, redis);
  return {
    routes: (app) => {
      app.use('/api/v1/search', searchRoutes(new MessageSearch(pool), authenticate));
    },
    readiness: backends.readiness,
    closers: backends.closers,
    started: async () => {
      const consumer = await startConsumer({
        kafka: backends.kafka,
        groupId: 'search',
        topics: [topics.message],
        logger,
        registry,
        handle: messageEventsHandler(pool, logger),
        // Each partition in order, each chat under its row lock; all partitions at once.
        partitionsConsumedConcurrently: topics.message.partitions,
      });
      backends.addConsumer(consumer);
    },
  };
}
