import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import type { Logger } from 'pino';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;

export function createPgPool(connectionString: string, logger: Logger, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString, max, connectionTimeoutMillis: 5_000 });
  pool.on('error', (error) => {
    logger.warn({ err: error }, 'idle postgres client error');
  });
  return pool;
}

/** Runs `work` in one transaction; rolls back when it throws. */
export async function withTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** The outbox and processed-event tables every Postgres-backed service uses. */
export const platformMigrationsDir = join(__dirname, '..', 'migrations');

const MIGRATION_LOCK_ID = 7_041_982;

/**
 * Applies plain `NNN_name.sql` files from each folder in order, each once, recorded in
 * `schema_migrations`. One transaction under an advisory lock, so concurrent pods starting
 * together apply each file exactly once, and a failing file leaves nothing half-applied.
 */
export async function migrate(
  pool: pg.Pool,
  folders: Record<string, string>,
  logger: Logger,
): Promise<string[]> {
  return withTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_ID]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const done = new Set(
      (await client.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map(
        (row) => row.name,
      ),
    );
    const applied: string[] = [];
    for (const [label, folder] of Object.entries(folders)) {
      const files = (await readdir(folder)).filter((file) => file.endsWith('.sql')).sort();
      for (const file of files) {
        const name = `${label}/${file}`;
        if (done.has(name)) continue;
        await client.query(await readFile(join(folder, file), 'utf8'));
        await client.query('INSERT INTO schema_migrations (name) VALUES ($1)', [name]);
        applied.push(name);
        logger.info({ migration: name }, 'migration applied');
      }
    }
    return applied;
  });
}
