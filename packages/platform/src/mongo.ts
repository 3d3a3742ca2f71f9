import mongoose from 'mongoose';
import type { Logger } from 'pino';

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

export async function connectMongo(url: string, logger: Logger): Promise<mongoose.Connection> {
  const connection = mongoose.createConnection(url, {
    serverSelectionTimeoutMS: 5_000,
    autoIndex: true,
    maxPoolSize: MONGO_MAX_POOL_SIZE,
  });
  connection.on('error', (error: Error) => {
    logger.warn({ err: error }, 'mongo error');
  });
  await connection.asPromise();
  return connection;
}

/** True when a write failed on a unique index (E11000). */
export function isDuplicateKeyError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 11000;
}
