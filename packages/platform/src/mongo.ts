import mongoose from 'mongoose';
import type { Logger } from 'pino';
import { Gauge, type Registry } from 'prom-client';

export { mongoose };

/**
 * A dedicated mongoose connection. Locally the server may be FerretDB, so callers keep to what
 * both support: no multi-document transactions, no change streams, and no bulk writes of many
 * statements.
 *
 * The pool is kept small: FerretDB v1 (SQLite) deadlocks for good once about 100 update
 * statements are in flight on one database (each holds two of its 100 pooled connections), so
 * each process queues its operations beyond this many.
 */
export const MONGO_MAX_POOL_SIZE = 10;

/**
 * Bounds on waiting, so a slow or wedged server turns into errors answered 503 (and retried by
 * clients) instead of requests and sockets piling up behind it: an operation waits at most
 * 5 s for a pooled connection and 30 s for the server's answer.
 */
const WAIT_QUEUE_TIMEOUT_MS = 5_000;
const SOCKET_TIMEOUT_MS = 30_000;

export async function connectMongo(
  url: string,
  logger: Logger,
  registry?: Registry,
): Promise<mongoose.Connection> {
  const connection = mongoose.createConnection(url, {
    serverSelectionTimeoutMS: 5_000,
    waitQueueTimeoutMS: WAIT_QUEUE_TIMEOUT_MS,
    socketTimeoutMS: SOCKET_TIMEOUT_MS,
    autoIndex: true,
    maxPoolSize: MONGO_MAX_POOL_SIZE,
  });
  connection.on('error', (error: Error) => {
    logger.warn({ err: error }, 'mongo error');
  });
  await connection.asPromise();
  if (registry) watchPool(connection, registry);
  return connection;
}

/** The pool's connections in use and the operations waiting for one, from the driver's events. */
function watchPool(connection: mongoose.Connection, registry: Registry): void {
  const inUse = new Gauge({
    name: 'mongo_pool_connections_in_use',
    help: `MongoDB connections checked out of this process's pool (at most ${MONGO_MAX_POOL_SIZE})`,
    registers: [registry],
  });
  const waiting = new Gauge({
    name: 'mongo_pool_waiting_operations',
    help: 'Operations waiting for a pooled MongoDB connection',
    registers: [registry],
  });
  const client = connection.getClient();
  client.on('connectionCheckOutStarted', () => {
    waiting.inc();
  });
  client.on('connectionCheckOutFailed', () => {
    waiting.dec();
  });
  client.on('connectionCheckedOut', () => {
    waiting.dec();
    inUse.inc();
  });
  client.on('connectionCheckedIn', () => {
    inUse.dec();
  });
}

/** True when a write failed on a unique index (E11000). */
export function isDuplicateKeyError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 11000;
}
