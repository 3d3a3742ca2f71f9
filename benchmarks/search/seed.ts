/**
 * A throwaway search database filled in bulk: the search service's own migrations, then chats,
 * their members and messages generated inside PostgreSQL (INSERT ... SELECT over
 * generate_series, no row crosses the wire), the GIN index built once after the load.
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  createLogger,
  createPgPool,
  migrate,
  platformMigrationsDir,
  type Pool,
} from '@messenger/platform';
import { createTestDatabase } from '@messenger/testkit/stack';

export interface SeedOptions {
  messages: number;
  chats: number;
  /** Users who are in `chatsPerBenchUser` chats each; the queries are theirs. */
  benchUsers: number;
  chatsPerBenchUser: number;
  /** Other members of every chat, drawn from `otherUsers` users. */
  membersPerChat: number;
  otherUsers: number;
}

export interface SeededDatabase {
  pool: Pool;
  benchUserIds: string[];
  seconds: { load: number; index: number };
  sizes: { table: string; index: string };
  drop: () => Promise<void>;
}

/** How often the generated words occur (share of messages holding them). */
export const vocabulary = {
  /** In about 30 % of messages. */
  common: 'the',
  /** In about 5 %. */
  frequent: 'meeting',
  /** Each of FILLER_WORDS words is in about 6 / FILLER_WORDS of messages. */
  fillerWord: (n: number) => `w${n}`,
  fillerWords: 50_000,
  /** Words of other scripts, each in about 1 %. */
  international: ['straße', 'café', 'привет', 'γειά', 'ağaç'],
} as const;

const logger = createLogger('benchmark', 'warn');
const uuidOf = (prefix: string, expression: string) =>
  `(substr(md5('${prefix}' || ${expression}), 1, 8) || '-' || substr(md5('${prefix}' || ${expression}), 9, 4) || '-4' || substr(md5('${prefix}' || ${expression}), 14, 3) || '-8' || substr(md5('${prefix}' || ${expression}), 18, 3) || '-' || substr(md5('${prefix}' || ${expression}), 21, 12))::uuid`;

const international = `ARRAY[${vocabulary.international.map((word) => `'${word}'`).join(',')}]`;

/** Six filler words each, 'the' in 30 %, 'meeting' in 5 %, an international word in 5 %. */
const CONTENT = `concat_ws(' ',
    CASE WHEN random() < 0.3 THEN '${vocabulary.common}' END,
    CASE WHEN random() < 0.05 THEN '${vocabulary.frequent}' END,
    CASE WHEN random() < 0.05 THEN (${international})[1 + floor(random() * ${vocabulary.international.length})::int] END,
    'w' || floor(random() * ${vocabulary.fillerWords})::int, 'w' || floor(random() * ${vocabulary.fillerWords})::int,
    'w' || floor(random() * ${vocabulary.fillerWords})::int, 'w' || floor(random() * ${vocabulary.fillerWords})::int,
    'w' || floor(random() * ${vocabulary.fillerWords})::int, 'w' || floor(random() * ${vocabulary.fillerWords})::int)`;

/** Messages over the last year, newest last, each in a random chat; JSON as messaging sends it. */
const MESSAGES = `
  INSERT INTO messages (message_id, chat_id, seq, created_at, change_seq, message)
  SELECT id, chat_id, i, created_at, 0, jsonb_build_object(
      'id', id, 'chatId', chat_id, 'seq', i, 'type', 'user', 'senderId', sender_id,
      'clientMsgId', 'bench-' || i, 'content', content, 'mediaUrl', NULL,
      'createdAt', to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
      'editedAt', NULL, 'deleted', false, 'reactions', '[]'::jsonb, 'replyTo', NULL,
      'attachments', '[]'::jsonb)
  FROM (
    SELECT i, ${uuidOf('m', 'i')} AS id, ${uuidOf('c', 'chat_n')} AS chat_id,
           ${uuidOf('u', 'sender_n')} AS sender_id, created_at, content
    FROM (
      SELECT i, floor(random() * $2)::int AS chat_n, floor(random() * $3)::int AS sender_n,
             date_trunc('milliseconds', now() - interval '365 days' * (1 - i::float8 / $1)) AS created_at,
             ${CONTENT} AS content
      FROM generate_series(1, $1::int) AS i
    ) AS drawn
  ) AS generated`;

const CHATS = `
  INSERT INTO chats (chat_id, members_seq)
  SELECT ${uuidOf('c', 'n')}, 1 FROM generate_series(0, $1::int - 1) AS n`;

const OTHER_MEMBERS = `
  INSERT INTO chat_members (user_id, chat_id)
  SELECT ${uuidOf('u', 'user_n')}, ${uuidOf('c', 'n')}
  FROM (
    SELECT n, floor(random() * $3)::int AS user_n
    FROM generate_series(0, $1::int - 1) AS n, generate_series(1, $2::int) AS k
  ) AS drawn
  ON CONFLICT DO NOTHING`;

/** Bench user b is in the chats b*step, b*step + 1, ... (distinct chats per user, spread out). */
const BENCH_MEMBERS = `
  INSERT INTO chat_members (user_id, chat_id)
  SELECT ${uuidOf('bench', 'b')}, ${uuidOf('c', '((b * 7919 + k * 61) % $3)')}
  FROM generate_series(0, $1::int - 1) AS b, generate_series(0, $2::int - 1) AS k
  ON CONFLICT DO NOTHING`;

export async function seedSearchDatabase(options: SeedOptions): Promise<SeededDatabase> {
  const database = await createTestDatabase('bench_search');
  const pool = createPgPool(database.url, logger, 4);
  try {
    await migrate(
      pool,
      {
        platform: platformMigrationsDir,
        search: join(__dirname, '../../services/search/migrations'),
      },
      logger,
    );
    const { rows: indexes } = await pool.query<{ indexdef: string }>(
      `SELECT indexdef FROM pg_indexes WHERE indexname = 'messages_words'`,
    );
    const indexDefinition = indexes[0]?.indexdef;
    if (!indexDefinition) throw new Error('the migrations made no messages_words index');
    let started = performance.now();
    await pool.query('DROP INDEX messages_words');
    await pool.query(CHATS, [options.chats]);
    await pool.query(OTHER_MEMBERS, [options.chats, options.membersPerChat, options.otherUsers]);
    await pool.query(BENCH_MEMBERS, [options.benchUsers, options.chatsPerBenchUser, options.chats]);
    await pool.query(MESSAGES, [options.messages, options.chats, options.otherUsers]);
    const load = (performance.now() - started) / 1000;
    started = performance.now();
    const client = await pool.connect();
    try {
      await client.query(`SET maintenance_work_mem = '256MB'`);
      await client.query(indexDefinition);
      await client.query('VACUUM ANALYZE messages');
      await client.query('VACUUM ANALYZE chat_members');
    } finally {
      client.release();
    }
    const index = (performance.now() - started) / 1000;
    const { rows: sizes } = await pool.query<{ table: string; index: string }>(
      `SELECT pg_size_pretty(pg_table_size('messages')) AS table,
              pg_size_pretty(pg_relation_size('messages_words')) AS index`,
    );
    const { rows: users } = await pool.query<{ id: string }>(
      `SELECT ${uuidOf('bench', 'b')}::text AS id FROM generate_series(0, $1::int - 1) AS b`,
      [options.benchUsers],
    );
    return {
      pool,
      benchUserIds: users.map((user) => user.id),
      seconds: { load, index },
      sizes: sizes[0] ?? { table: '?', index: '?' },
      drop: async () => {
        await pool.end();
        await database.drop();
      },
    };
  } catch (error) {
    await pool.end();
    await database.drop();
    throw error;
  }
}
