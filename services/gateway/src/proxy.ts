import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import { createProxyMiddleware, fixRequestBody } from 'http-proxy-middleware';
import { sendProblem, type Logger } from '@messenger/platform';
import { isRetryable, UPSTREAM_TIMEOUT, upstreamProblem } from './upstream-errors.js';
import type { UpstreamPool } from './upstream-pool.js';

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS']);
const MAX_ATTEMPTS = 2;

interface ProxiedRequest extends IncomingMessage {
  proxyAttempts?: number;
  proxyTarget?: string;
}

export interface UpstreamProxyOptions {
  service: string;
  pool: UpstreamPool;
  timeoutMs: number;
  logger: Logger;
}

/**
 * Forwards a request unchanged to one of the service's ready upstreams. An upstream that cannot
 * be reached or times out is ejected from the pool for a while; idempotent requests that could
 * not reach an upstream are retried once (on the next upstream); anything else that fails is a
 * 502/503/504 problem naming the service.
 */
export function upstreamProxy(options: UpstreamProxyOptions): RequestHandler {
  const proxy = createProxyMiddleware({
    router: (req: ProxiedRequest) => {
      req.proxyTarget = options.pool.pick();
      return req.proxyTarget;
    },
    changeOrigin: true,
    xfwd: true,
    on: {
      proxyReq: (proxyReq, req) => {
        fixRequestBody(proxyReq, req);
        proxyReq.setTimeout(options.timeoutMs, () => {
          proxyReq.destroy(
            Object.assign(new Error('upstream timed out'), { code: UPSTREAM_TIMEOUT }),
          );
        });
      },
      error: (error, req: ProxiedRequest, res) => {
        if (!('setHeader' in res) || res.headersSent) {
          res.destroy();
          return;
        }
        if (req.proxyTarget && isRetryable(error)) options.pool.eject(req.proxyTarget);
        const attempts = (req.proxyAttempts ?? 1) + 1;
        if (IDEMPOTENT.has(req.method ?? '') && isRetryable(error) && attempts <= MAX_ATTEMPTS) {
          req.proxyAttempts = attempts;
          void proxy(req, res);
          return;
        }
        options.logger.warn(
          { err: error, service: options.service, method: req.method, url: req.url },
          'upstream request failed',
        );
        sendProblem(
          res as Parameters<typeof sendProblem>[0],
          upstreamProblem(options.service, error),
        );
      },
    },
  });
  return proxy;
}
