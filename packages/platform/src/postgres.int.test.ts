import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { createPgPool, migrate, platformMigrationsDir, withTransaction } from './postgres.js';
import { createLogger } from './logger.js';
import { createTestDatabase } from '@messenger/testkit/stack';

const logger = createLogger('test', 'silent');
let database: { url: string; drop: () => Promise<void> };
let pool: pg.Pool;
let folder: string;

before(async () => {
  database = await createTestDatabase('migrate');
  pool = createPgPool(database.url, logger);
  folder = await mkdtemp(join(tmpdir(), 'migrations-'));
  await writeFile(
    join(folder, '001_people.sql'),
    'CREATE TABLE people (id int PRIMARY KEY, name text NOT NULL);',
  );
  await writeFile(join(folder, '002_seed.sql'), "INSERT INTO people VALUES (1, 'ada');");
});

after(async () => {
  await pool.end();
  await database.drop();
});

test('migrations apply once, even when several pods start together', async () => {
  const runs = await Promise.all(
    [1, 2, 3].map(() => migrate(pool, { platform: platformMigrationsDir, app: folder }, logger)),
  );
  assert.deepEqual(runs.flat().sort(), [
    'app/001_people.sql',
    'app/002_seed.sql',
    'platform/001_outbox.sql',
    'platform/002_processed_events.sql',
  ]);
  assert.deepEqual(
    await migrate(pool, { platform: platformMigrationsDir, app: folder }, logger),
    [],
  );
  const { rows } = await pool.query<{ name: string }>('SELECT name FROM people');
  assert.deepEqual(rows, [{ name: 'ada' }]);
});

test('a failing migration leaves nothing half-applied', async () => {
  await writeFile(
    join(folder, '003_broken.sql'),
    "INSERT INTO people VALUES (2, 'bob'); SELECT * FROM no_such_table;",
  );
  await assert.rejects(migrate(pool, { app: folder }, logger), /no_such_table/);
  assert.equal((await pool.query('SELECT 1 FROM people WHERE id = 2')).rowCount, 0);
  assert.equal(
    (await pool.query("SELECT 1 FROM schema_migrations WHERE name = 'app/003_broken.sql'"))
      .rowCount,
    0,
  );
});

test('a transaction rolls back when its work throws', async () => {
  await assert.rejects(
    withTransaction(pool, async (client) => {
      await client.query("INSERT INTO people VALUES (3, 'cy')");
      throw new Error('stop');
    }),
    /stop/,
  );
  assert.equal((await pool.query('SELECT 1 FROM people WHERE id = 3')).rowCount, 0);
});
