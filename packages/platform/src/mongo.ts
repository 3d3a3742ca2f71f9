import mongoose from 'mongoose';
import type { Logger } from 'pino';

export { mongoose };

/**
 * A dedicated mongoose connection. Locally the server may be FerretDB, so callers keep to what
 * both support: no multi-document transactions, no change streams.
 */
export async function connectMongo(url: string, logger: Logger): Promise<mongoose.Connection> {
  const connection = mongoose.createConnection(url, {
    serverSelectionTimeoutMS: 5_000,
    autoIndex: true,
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
