/**
 * Message search at a million messages: seeds a throwaway database in bulk (the search
 * service's migrations; chats, members and messages generated inside PostgreSQL), prints the
 * plans of the service's query, then the latency of whole search pages as the service runs
 * them for users in `chatsPerUser` chats each, and drops the database.
 *
 *   node --conditions=source --import tsx benchmarks/search/main.ts [messages] [chats] [chatsPerUser]
 *
 * DATABASE_URL names a server and a role with CREATEDB (default: the local stack's).
 */
import { loadavg } from 'node:os';
import { monthsWindowSql } from '@messenger/search/message-search-store';
import { measure, percentile, queryKinds, userChats } from './measure.js';
import { seedSearchDatabase, vocabulary } from './seed.js';

const MESSAGES = Number(process.argv[2] ?? 1_000_000);
const CHATS = Number(process.argv[3] ?? 3_000);
const CHATS_PER_USER = Number(process.argv[4] ?? 50);
const RUNS = 300;
const WARM_UP_RUNS = 30;
const load = () =>
  loadavg()
    .map((value) => value.toFixed(1))
    .join(' ');

async function main(): Promise<void> {
  console.log(`load average ${load()}; seeding ${MESSAGES} messages over ${CHATS} chats`);
  const seeded = await seedSearchDatabase({
    messages: MESSAGES,
    chats: CHATS,
    benchUsers: 20,
    chatsPerBenchUser: CHATS_PER_USER,
    membersPerChat: 5,
    otherUsers: 20_000,
  });
  const { pool } = seeded;
  try {
    console.log(
      `loaded in ${seeded.seconds.load.toFixed(1)} s, GIN index built in ${seeded.seconds.index.toFixed(1)} s; ` +
        `table ${seeded.sizes.table}, index ${seeded.sizes.index}`,
    );
    const userId = seeded.benchUserIds[0] ?? '';
    const chats = await userChats(pool, userId);
    const { rows: visible } = await pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM messages WHERE chat_id = ANY($1::uuid[])',
      [chats],
    );
    console.log(`a bench user is in ${chats.length} chats holding ${visible[0]?.n} messages\n`);
    // The first window of a page: this month and the next.
    const month = (ahead: number) => {
      const now = new Date();
      return `@${new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + ahead, 1)).toISOString().slice(0, 7)}`;
    };
    for (const [title, q] of [
      [`common word "${vocabulary.common}", first window`, vocabulary.common],
      ['rare word, first window', vocabulary.fillerWord(4242)],
    ] as const) {
      const { rows } = await pool.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${monthsWindowSql}`,
        [userId, null, q, null, null, 21, `'${month(0)}' | '${month(1)}'`],
      );
      console.log(`== ${title}\n${rows.map((row) => row['QUERY PLAN']).join('\n')}\n`);
    }
    console.log(
      `whole search pages (limit 20) as the service runs them, ${RUNS} runs each after ${WARM_UP_RUNS} unmeasured, 20 users:`,
    );
    for (const kind of queryKinds) {
      await measure(pool, seeded.benchUserIds, kind, WARM_UP_RUNS);
      const { times, pagesSeen } = await measure(pool, seeded.benchUserIds, kind, RUNS);
      const hits = pagesSeen.reduce((sum, page) => sum + page.length, 0) / pagesSeen.length;
      console.log(
        `  ${kind.name.padEnd(34)} p50 ${percentile(times, 50).toFixed(2).padStart(7)} ms  p99 ${percentile(times, 99).toFixed(2).padStart(7)} ms  (${hits.toFixed(1)} per page)`,
      );
    }
    console.log(`load average ${load()}`);
  } finally {
    await seeded.drop();
    console.log('dropped the benchmark database');
  }
}

void main();
