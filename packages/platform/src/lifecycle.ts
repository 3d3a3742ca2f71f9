import { createServer, type Server } from 'node:http';
import type { RequestListener } from 'node:http';
import type { Logger } from 'pino';
import { answerClientErrors } from './http/client-errors.js';
import { lifecycleState } from './http/health.js';

export interface Closer {
  name: string;
  close: () => Promise<unknown>;
}

export interface ServeOptions {
  port: number;
  app: RequestListener;
  logger: Logger;
  shutdownTimeoutMs: number;
  /** Called with the HTTP server before it listens, e.g. to attach Socket.IO. */
  attach?: (server: Server) => void;
  /** Runs once draining starts, before the server closes, e.g. to disconnect websockets. */
  beforeClose?: () => Promise<unknown>;
  /** Closed in reverse order after the HTTP server has drained. */
  closers: Closer[];
}

export interface RunningServer {
  server: Server;
  shutdown: (reason: string) => Promise<void>;
}

/**
 * Listens, and on SIGTERM/SIGINT stops gracefully: readiness fails, the server stops accepting,
 * in-flight requests finish, idle keep-alive sockets close, then every client is closed.
 * Past the deadline the process exits anyway, with a non-zero code.
 */
export async function serve(options: ServeOptions): Promise<RunningServer> {
  const { logger } = options;
  const server = createServer(options.app);
  server.keepAliveTimeout = 65_000;
  answerClientErrors(server);
  options.attach?.(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, () => {
      server.off('error', reject);
      resolve();
    });
  });
  logger.info({ port: options.port }, 'listening');

  let stopping: Promise<void> | undefined;
  const shutdown = (reason: string): Promise<void> => {
    stopping ??= (async () => {
      logger.info({ reason }, 'shutting down');
      lifecycleState.draining = true;
      const deadline = setTimeout(() => {
        logger.error('shutdown deadline passed; exiting');
        process.exit(1);
      }, options.shutdownTimeoutMs);
      deadline.unref();
      await options.beforeClose?.();
      const closed = new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
      server.closeIdleConnections();
      await closed;
      for (const closer of [...options.closers].reverse()) {
        try {
          await closer.close();
        } catch (error) {
          logger.warn({ err: error, closer: closer.name }, 'error while closing');
        }
      }
      clearTimeout(deadline);
      logger.info('stopped');
    })();
    return stopping;
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      void shutdown(signal).then(() => process.exit(0));
    });
  }
  return { server, shutdown };
}
