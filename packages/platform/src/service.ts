import type { Server } from 'node:http';
import type { Express } from 'express';
import type { z } from 'zod';
import type { Registry } from 'prom-client';
import { baseConfigSchema, ConfigError, loadConfig } from './config.js';
import { createLogger, type Logger } from './logger.js';
import { createRegistry } from './metrics.js';
import { createHttpApp } from './http/app.js';
import type { ReadinessChecks } from './http/health.js';
import { serve, type Closer, type RunningServer } from './lifecycle.js';

export interface ServiceContext<C> {
  name: string;
  config: C;
  logger: Logger;
  registry: Registry;
}

/** What a service adds to the shared skeleton. */
export interface ServiceParts {
  routes: (app: Express) => void;
  readiness: ReadinessChecks;
  closers: Closer[];
  attach?: (server: Server) => void;
  beforeClose?: () => Promise<unknown>;
  beforeBody?: (app: Express) => void;
  jsonLimit?: string;
  /** Runs once the server listens, e.g. starting consumers and relays. */
  started?: () => Promise<void> | void;
}

type BaseConfig = z.infer<typeof baseConfigSchema>;

/**
 * Starts a service: validated config, logger, metrics, the HTTP app with health and metrics,
 * graceful shutdown. A bad configuration or a failed start stops the process with a clear message.
 */
export async function runService<S extends z.ZodType<BaseConfig>>(
  name: string,
  schema: S,
  build: (context: ServiceContext<z.infer<S>>) => Promise<ServiceParts>,
): Promise<RunningServer> {
  let config: z.infer<S>;
  try {
    config = loadConfig(schema);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${name}: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(name, config.LOG_LEVEL);
  process.on('unhandledRejection', (reason) => {
    logger.error({ err: reason }, 'unhandled promise rejection');
  });
  try {
    const registry = createRegistry(name);
    const parts = await build({ name, config, logger, registry });
    const app = createHttpApp({
      logger,
      registry,
      readiness: parts.readiness,
      routes: parts.routes,
      trustProxy: config.TRUST_PROXY,
      ...(parts.jsonLimit ? { jsonLimit: parts.jsonLimit } : {}),
      ...(parts.beforeBody ? { beforeBody: parts.beforeBody } : {}),
    });
    const running = await serve({
      port: config.PORT,
      app,
      logger,
      shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
      closers: parts.closers,
      ...(parts.attach ? { attach: parts.attach } : {}),
      ...(parts.beforeClose ? { beforeClose: parts.beforeClose } : {}),
    });
    await parts.started?.();
    return running;
  } catch (error) {
    logger.fatal({ err: error }, 'failed to start');
    process.exit(1);
  }
}
