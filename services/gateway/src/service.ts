import type { Express, RequestHandler } from 'express';
import cors from 'cors';
import {
  Backends,
  createTokenVerifier,
  redisRevocationCheck,
  requireAuth,
  type ServiceContext,
  type ServiceParts,
} from '@messenger/platform';
import type { Config } from './config.js';
import { apiRoutes, contractOf, expressPath, type Upstream } from './routes.js';
import { upstreamProxy } from './proxy.js';
import { rateLimit } from './rate-limit.js';
import { traceResponseHeader } from './trace-header.js';
import { UpstreamPool } from './upstream-pool.js';
import { upstreamReadiness, upstreamTargets } from './upstreams.js';
import { websocketProxy } from './websocket.js';
import { apiDocs, securityHeaders } from './openapi/docs.js';

export async function buildService(context: ServiceContext<Config>): Promise<ServiceParts> {
  const { config, logger } = context;
  const backends = await Backends.connect(context);
  const targets = upstreamTargets(config);
  const verify = createTokenVerifier({
    jwksUrl: config.JWKS_URL,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    isRevoked: redisRevocationCheck(backends.redis),
  });
  const authenticate = requireAuth(verify);
  const perClient = rateLimit({
    redis: backends.redis,
    name: 'ip',
    perMinute: config.RATE_LIMIT_IP_PER_MINUTE,
    logger,
    keyOf: (req) => req.ip,
  });
  const perUser = rateLimit({
    redis: backends.redis,
    name: 'user',
    perMinute: config.RATE_LIMIT_USER_PER_MINUTE,
    logger,
    keyOf: (req) => req.auth?.userId,
  });
  const pools = Object.fromEntries(
    Object.entries(targets).map(([service, urls]) => [
      service,
      new UpstreamPool(urls, {
        checkIntervalMs: config.UPSTREAM_CHECK_INTERVAL_MS,
        ejectMs: config.UPSTREAM_EJECT_MS,
        logger,
      }),
    ]),
  ) as Record<Upstream, UpstreamPool>;
  const proxies = Object.fromEntries(
    Object.entries(pools).map(([service, pool]) => [
      service,
      upstreamProxy({ service, pool, timeoutMs: config.UPSTREAM_TIMEOUT_MS, logger }),
    ]),
  ) as Record<Upstream, RequestHandler>;
  // HTTP requests and websocket upgrades share the messaging pool's view of its instances.
  const websocket = websocketProxy(pools.messaging, logger);
  for (const pool of Object.values(pools)) pool.start();
  backends.addCloser({
    name: 'upstream-checks',
    close: () => {
      for (const pool of Object.values(pools)) pool.stop();
      return Promise.resolve();
    },
  });

  return {
    jsonLimit: config.JSON_LIMIT,
    beforeBody: (app: Express) => {
      app.use(securityHeaders());
      app.use(
        cors({
          origin: config.CORS_ORIGINS,
          exposedHeaders: ['x-request-id', 'retry-after', 'traceparent'],
          maxAge: 600,
        }),
      );
      app.use(traceResponseHeader);
      app.use('/api', perClient);
    },
    routes: (app: Express) => {
      apiDocs(app);
      for (const route of apiRoutes) {
        const chain = contractOf(route).public ? [] : [authenticate, perUser];
        app[route.method](expressPath(route.path), ...chain, proxies[route.upstream]);
      }
    },
    readiness: { ...backends.readiness, ...upstreamReadiness(targets) },
    attach: websocket.attach,
    beforeClose: websocket.closeAll,
    closers: backends.closers,
  };
}
