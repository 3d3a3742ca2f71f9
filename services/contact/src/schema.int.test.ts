import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import {
  createLogger,
  createPgPool,
  migrate,
  platformMigrationsDir,
  type Pool,
  type PoolClient,
} from '@messenger/platform';
import { createTestDatabase } from '@messenger/testkit/stack';

/** The database alone keeps a pair to one pending request and one friendship. */
let database: { url: string; drop: () => Promise<void> };
let pool: Pool;

before(async () => {
  database = await createTestDatabase('contact_schema');
  const logger = createLogger('test', 'silent');
  pool = createPgPool(database.url, logger);
  await migrate(
    pool,
    { platform: platformMigrationsDir, contact: join(__dirname, '..', 'migrations') },
    logger,
  );
});

after(async () => {
  await pool.end();
  await database.drop();
});

function ordered(): [string, string] {
  const [a, b] = [randomUUID(), randomUUID()].sort();
  return [a ?? '', b ?? ''];
}

const insertRequest = (db: PoolClient | Pool, from: string, to: string) =>
  db.query('INSERT INTO friend_requests (id, from_user_id, to_user_id) VALUES ($1, $2, $3)', [
    randomUUID(),
    from,
    to,
  ]);

async function sqlState(work: Promise<unknown>): Promise<string | undefined> {
  try {
    await work;
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
}

test('two pending requests between one pair are refused whichever their directions', async () => {
  const [low, high] = ordered();
  await insertRequest(pool, low, high);
  assert.equal(await sqlState(insertRequest(pool, high, low)), '23505');
  assert.equal(await sqlState(insertRequest(pool, low, high)), '23505');
  await pool.query(`UPDATE friend_requests SET status = 'rejected' WHERE from_user_id = $1`, [low]);
  await insertRequest(pool, high, low);
});

test('opposite requests in concurrent transactions: exactly one commits', async () => {
  for (let round = 0; round < 10; round++) {
    const [low, high] = ordered();
    const clients = await Promise.all([pool.connect(), pool.connect()]);
    try {
      await Promise.all(clients.map((client) => client.query('BEGIN')));
      const outcomes = await Promise.all([
        sqlState(insertRequest(clients[0], low, high).then(() => clients[0].query('COMMIT'))),
        sqlState(insertRequest(clients[1], high, low).then(() => clients[1].query('COMMIT'))),
      ]);
      assert.deepEqual(outcomes.sort(), ['23505', undefined]);
    } finally {
      await Promise.all(clients.map((client) => client.query('ROLLBACK')));
      for (const client of clients) client.release();
    }
    const { rows } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM friend_requests WHERE $1 IN (from_user_id, to_user_id)`,
      [low],
    );
    assert.equal(rows[0]?.n, 1);
  }
});

test('a friendship is stored once, in canonical order', async () => {
  const [low, high] = ordered();
  const insert = (a: string, b: string) =>
    pool.query('INSERT INTO friendships (user_low, user_high) VALUES ($1, $2)', [a, b]);
  await insert(low, high);
  assert.equal(await sqlState(insert(low, high)), '23505');
  assert.equal(await sqlState(insert(high, low)), '23514', 'the reverse order is refused');
  assert.equal(await sqlState(insert(low, low)), '23514');
});

test('nobody befriends, asks or blocks themselves', async () => {
  const [self] = ordered();
  assert.equal(await sqlState(insertRequest(pool, self, self)), '23514');
  assert.equal(
    await sqlState(
      pool.query('INSERT INTO blocks (blocker_id, blocked_id) VALUES ($1, $1)', [self]),
    ),
    '23514',
  );
});
