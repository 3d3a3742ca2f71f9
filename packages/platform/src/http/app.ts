import express, { type Express } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { httpMetricsMiddleware } from '../metrics.js';
import { errorHandler, notFoundHandler, requireJsonBody } from './errors.js';
import { requestIdOf } from './request-id.js';
import { redactUrl } from './redact-url.js';
import { healthRoutes, type ReadinessChecks } from './health.js';
import { refuseDeepJson } from './json-depth.js';

export interface HttpAppOptions {
  logger: Logger;
  registry: Registry;
  readiness: ReadinessChecks;
  /** Mounts the service's own routes. */
  routes: (app: Express) => void;
  jsonLimit?: string;
  /** Proxy hops whose X-Forwarded-For entries are believed (Express' numeric `trust proxy`). */
  trustProxy?: number;
  /** Runs before body parsing, e.g. a proxy that streams bodies itself. */
  beforeBody?: (app: Express) => void;
}

/** The Express app every service shares: ids, logs, metrics, health, JSON, problem+json. */
export function createHttpApp(options: HttpAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  // Only the hops configured: an address a client wrote into X-Forwarded-For is never believed.
  app.set('trust proxy', options.trustProxy ?? 1);
  app.set('query parser', 'simple');
  app.use((req, res, next) => {
    const id = requestIdOf(req);
    req.headers['x-request-id'] = id;
    res.setHeader('x-request-id', id);
    next();
  });
  app.use(healthRoutes(options.readiness, options.registry));
  app.use(
    pinoHttp({
      logger: options.logger,
      genReqId: (req) => req.headers['x-request-id'] as string,
      serializers: {
        req: (req: { url: string; query?: unknown }) => ({
          ...req,
          url: redactUrl(req.url),
          query: undefined,
        }),
      },
      customLogLevel: (_req, res, error) =>
        error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    }),
  );
  app.use(httpMetricsMiddleware(options.registry));
  options.beforeBody?.(app);
  app.use(requireJsonBody);
  app.use(
    express.json({ limit: options.jsonLimit ?? '64kb', strict: true, verify: refuseDeepJson }),
  );
  options.routes(app);
  app.use(notFoundHandler);
  app.use(errorHandler(options.logger));
  return app;
}
