import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { RequestHandler } from 'express';

export { Counter, Gauge, Histogram, Registry };

/** One registry per process, labelled with the service name, with Node's default metrics. */
export function createRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}

/**
 * RED metrics per route: `http_server_duration_seconds{method,route,status_code}`. The route is
 * the Express template (`/chats/:chatId`), never the raw path, so cardinality stays bounded.
 */
export function httpMetricsMiddleware(registry: Registry): RequestHandler {
  const duration = new Histogram({
    name: 'http_server_duration_seconds',
    help: 'Duration of HTTP requests handled by this service',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return (req, res, next) => {
    const stop = duration.startTimer();
    res.once('finish', () => {
      const template = req.route
        ? `${req.baseUrl}${String((req.route as { path: unknown }).path)}`
        : 'unmatched';
      stop({ method: req.method, route: template, status_code: String(res.statusCode) });
    });
    next();
  };
}
