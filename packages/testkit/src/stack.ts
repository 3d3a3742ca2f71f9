/** Helpers for integration tests that run against the local stack's real servers. */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const stack = {
  databaseUrl:
    process.env['DATABASE_URL'] ?? 'postgres://messenger:messenger@127.0.0.1:55432/messenger',
  redisUrl: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:56379',
  kafkaBrokers: (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:59092').split(','),
  mongoUrl: process.env['MONGO_URL'] ?? 'mongodb://127.0.0.1:57017/messenger',
};

export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** A fresh, empty Postgres database for one test file; `drop` removes it. */
export async function createTestDatabase(
  prefix = 'test',
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = uniqueName(prefix);
  const admin = new pg.Client({ connectionString: stack.databaseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  return {
    url: withDatabase(stack.databaseUrl, name),
    drop: async () => {
      const client = new pg.Client({ connectionString: stack.databaseUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    },
  };
}

/** Mongo URL of a fresh database for one test file. */
export function testMongoUrl(prefix = 'test'): string {
  return withDatabase(stack.mongoUrl, uniqueName(prefix));
}
