/**
 * Two consumers may apply events of one chat at once (a partition handed over during a
 * rebalance while its old owner still runs a batch). Each round applies a chat's events all at
 * once in a shuffled order; the newest state must win every time.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import {
  createLogger,
  createPgPool,
  migrate,
  migrationsDirOf,
  platformMigrationsDir,
  type Pool,
} from '@messenger/platform';
import {
  editedEvent,
  sentEvent,
  systemMessage,
  userMessage,
} from '@messenger/testkit/search/message-events';
import { createTestDatabase } from '@messenger/testkit/stack';
import { messageEventsHandler } from './message-consumer.js';
import { MessageSearch } from './message-search.js';

const ROUNDS = Number(process.env['RACE_ROUNDS'] ?? 0) || 40;
const EVENTS_PER_ROUND = 12;
const logger = createLogger('search-test', 'silent');
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: Pool;

before(async () => {
  database = await createTestDatabase('search_races');
  pool = createPgPool(database.url, logger, 20);
  await migrate(
    pool,
    { platform: platformMigrationsDir, search: migrationsDirOf(__dirname) },
    logger,
  );
});

after(async () => {
  await pool.end();
  await database.drop();
});

function shuffled<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

async function members(chatId: string): Promise<string[]> {
  const { rows } = await pool.query<{ user_id: string }>(
    'SELECT user_id FROM chat_members WHERE chat_id = $1 ORDER BY user_id',
    [chatId],
  );
  return rows.map((row) => row.user_id);
}

test('concurrent membership events of one chat leave the members of the newest', async () => {
  const handlers = [
    messageEventsHandler(pool, logger),
    messageEventsHandler(pool, logger),
  ] as const;
  for (let round = 0; round < ROUNDS; round++) {
    const chat = randomUUID();
    const people = Array.from({ length: 6 }, () => randomUUID());
    const admin = people[0] ?? '';
    // Seq by seq, someone joins or leaves; each event carries the members of its moment.
    let current = new Set([admin]);
    const events = Array.from({ length: EVENTS_PER_ROUND }, (_, i) => {
      const seq = i + 1;
      const subject = people[1 + Math.floor(Math.random() * (people.length - 1))] ?? admin;
      const leaving = current.has(subject);
      const next = new Set(current);
      if (leaving) next.delete(subject);
      else next.add(subject);
      const recipients = leaving ? [...current] : [...next];
      current = next;
      return sentEvent(
        systemMessage(chat, seq, leaving ? 'removed' : 'joined', admin, subject),
        recipients,
      );
    });
    await Promise.all(shuffled(events).map((event, i) => handlers[i % 2 === 0 ? 0 : 1](event)));
    assert.deepEqual(await members(chat), [...current].sort(), `round ${round}`);
  }
});

test('concurrent edits of one message leave the newest text', async () => {
  const handlers = [
    messageEventsHandler(pool, logger),
    messageEventsHandler(pool, logger),
  ] as const;
  for (let round = 0; round < ROUNDS; round++) {
    const [chat, ada] = [randomUUID(), randomUUID()];
    const message = userMessage(chat, 1, ada, 'version0');
    await handlers[0](sentEvent(message, [ada]));
    const edits = Array.from({ length: EVENTS_PER_ROUND }, (_, i) =>
      editedEvent(message, `version${i + 1}`, i + 1),
    );
    await Promise.all(shuffled(edits).map((event, i) => handlers[i % 2 === 0 ? 0 : 1](event)));
    const page = await new MessageSearch(pool).search(ada, {
      q: `version${EVENTS_PER_ROUND}`,
      limit: 5,
    });
    assert.deepEqual(
      page.items.map((item) => item.content),
      [`version${EVENTS_PER_ROUND}`],
      `round ${round}`,
    );
  }
});
