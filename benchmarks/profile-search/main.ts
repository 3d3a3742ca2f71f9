/**
 * Profile search at a million profiles: seeds a throwaway database (the profile service's own
 * migrations, rows from generate_series), prints the plans of the search queries and the latency
 * of whole search pages as the service runs them, then drops the database.
 *
 *   node --conditions=source --import tsx benchmarks/profile-search/main.ts [rows]
 *
 * DATABASE_URL names a server and a role with CREATEDB (default: the local stack's).
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createLogger, createPgPool, migrate, platformMigrationsDir } from '@messenger/platform';
import { createTestDatabase } from '@messenger/testkit/stack';
import {
  displayNameFirstPageQuery,
  displayNameNextPageQuery,
  nicknamePrefixQuery,
  searchProfiles,
} from '@messenger/profile/profile-search';

const ROWS = Number(process.argv[2] ?? 1_000_000);
const RUNS = 1_000;
const WARM_UP_RUNS = 100;
const PAGE = 20;
const logger = createLogger('benchmark', 'warn');

const NICK_WORDS = `ada bob cleo dan eve finn gus hana ivan jo kai lena milo nina otto paz quinn
  rosa sam tara uma vic wren xena yuri zoe maria marco max mia leo luca liam`.split(/\s+/);
const FIRST = `Maria Marco Max Mia Leo Luca Liam Ada Bob Cleo Dan Eve Finn Gus Hana Ivan Jo Kai
  Lena Milo Nina Otto Zoë Émile Åsa Søren Jürgen Łucja Ólafur Chloé`.split(/\s+/);
const LAST = `Smith Garcia Müller Rossi Novak Kowalski Jensen Silva Dubois Nakamura`.split(/\s+/);

const sqlArray = (words: string[]) => `ARRAY[${words.map((w) => `'${w}'`).join(',')}]`;

/** Nicknames `<word>_<n>` and display names `<First> <Last>` (a fifth of profiles have none). */
const SEED = `
  INSERT INTO profiles (user_id, nickname, display_name, bio, created_at, updated_at)
  SELECT gen_random_uuid(),
         (${sqlArray(NICK_WORDS)})[1 + (i % ${NICK_WORDS.length})] || '_' || i,
         CASE WHEN i % 5 = 0 THEN NULL
              ELSE (${sqlArray(FIRST)})[1 + ((i / 7) % ${FIRST.length})] || ' ' ||
                   (${sqlArray(LAST)})[1 + ((i / 3) % ${LAST.length})] END,
         'bio of ' || i, now(), now()
  FROM generate_series(1, $1::int) AS i`;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function main(): Promise<void> {
  const database = await createTestDatabase('bench_profile_search');
  const pool = createPgPool(database.url, logger, 4);
  try {
    await migrate(
      pool,
      {
        platform: platformMigrationsDir,
        profile: join(__dirname, '../../services/profile/migrations'),
      },
      logger,
    );
    let started = performance.now();
    await pool.query(SEED, [ROWS]);
    await pool.query('VACUUM ANALYZE profiles');
    console.log(
      `seeded ${ROWS} profiles in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    const { rows: size } = await pool.query<{ table: string; indexes: string }>(
      `SELECT pg_size_pretty(pg_table_size('profiles')) AS table,
              pg_size_pretty(pg_indexes_size('profiles')) AS indexes`,
    );
    console.log(`table ${size[0]?.table}, indexes ${size[0]?.indexes}\n`);

    const plans: [string, string, unknown[]][] = [
      [
        'nickname prefix "ma" (~60k matches), first page',
        nicknamePrefixQuery,
        ['ma', '', PAGE + 1],
      ],
      [
        'nickname prefix, deep page (after maria_5)',
        nicknamePrefixQuery,
        ['ma', 'maria_5', PAGE + 1],
      ],
      [
        'display-name prefix "Mar" (~50k matches, nickname matches excluded), first page',
        displayNameFirstPageQuery,
        ['Mar', PAGE + 1],
      ],
      [
        'display-name prefix "Mar", deep page (after "maria müller")',
        displayNameNextPageQuery,
        ['Mar', PAGE + 1, 'maria müller', '80000000-0000-0000-0000-000000000000'],
      ],
      [
        'display-name prefix "ÉMILE" (non-ASCII, case-folded)',
        displayNameFirstPageQuery,
        ['ÉMILE', PAGE + 1],
      ],
    ];
    for (const [title, sql, params] of plans) {
      const { rows } = await pool.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${sql}`,
        params,
      );
      console.log(`== ${title}\n${rows.map((row) => row['QUERY PLAN']).join('\n')}\n`);
    }

    const terms: [string, () => string][] = [
      [
        'common 2-letter prefix',
        () => NICK_WORDS[Math.floor(Math.random() * NICK_WORDS.length)]?.slice(0, 2) ?? 'ma',
      ],
      [
        'nickname, nearly unique',
        () => `${NICK_WORDS[0]}_${1 + Math.floor(Math.random() * (ROWS / 40))}`,
      ],
      [
        'display name',
        () => `${FIRST[Math.floor(Math.random() * FIRST.length)]} ${LAST[0]?.slice(0, 2)}`,
      ],
      ['no match', () => `zz${Math.random().toString(36).slice(2, 6)}`],
    ];
    console.log(
      `whole search pages (limit ${PAGE}) as the service runs them, ${RUNS} runs each after ${WARM_UP_RUNS} unmeasured:`,
    );
    for (const [title, term] of terms) {
      const times: number[] = [];
      let current = term();
      let cursor: string | undefined;
      for (let run = -WARM_UP_RUNS; run < RUNS; run++) {
        // Two runs in three follow the previous page's cursor, so deep pages are measured too.
        if (run % 3 === 0 || !cursor) {
          current = term();
          cursor = undefined;
        }
        started = performance.now();
        const page = await searchProfiles(pool, current, PAGE, cursor);
        if (run >= 0) times.push(performance.now() - started);
        cursor = page.nextCursor ?? undefined;
      }
      times.sort((a, b) => a - b);
      console.log(
        `  ${title.padEnd(26)} p50 ${percentile(times, 50).toFixed(2)} ms  p90 ${percentile(times, 90).toFixed(2)} ms  p99 ${percentile(times, 99).toFixed(2)} ms`,
      );
    }
  } finally {
    await pool.end();
    await database.drop();
    console.log('\ndropped the benchmark database');
  }
}

void main();
