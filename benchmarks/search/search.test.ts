/**
 * The search benchmark in its short form (20,000 messages): the harness seeds, measures and
 * prints, and what it measured is right. Every page holds only messages of the user's chats
 * that contain the words, and following the cursors gives exactly what a plain scan without
 * the index finds, newest first. No figure is asserted: timings belong to main.ts.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { MessageSearch } from '@messenger/search/message-search';
import { measure, percentile, queryKinds, userChats } from './measure.js';
import { seedSearchDatabase, vocabulary, type SeededDatabase } from './seed.js';

let seeded: SeededDatabase;

before(async () => {
  seeded = await seedSearchDatabase({
    messages: 20_000,
    chats: 200,
    benchUsers: 4,
    chatsPerBenchUser: 10,
    membersPerChat: 3,
    otherUsers: 500,
  });
});

after(async () => {
  await seeded.drop();
});

/** What a search must find, by a scan that recomputes the words instead of using the index. */
async function expected(userId: string, q: string): Promise<string[]> {
  const { rows } = await seeded.pool.query<{ message_id: string }>(
    `SELECT m.message_id FROM messages m JOIN chat_members c USING (chat_id)
     WHERE c.user_id = $1
       AND to_tsvector('simple', m.message ->> 'content') @@ plainto_tsquery('simple', $2)
     ORDER BY m.created_at DESC, m.message_id DESC`,
    [userId, q],
  );
  return rows.map((row) => row.message_id);
}

test('every query kind returns pages of the user’s chats holding the words', async () => {
  for (const kind of queryKinds) {
    const { times, pagesSeen } = await measure(seeded.pool, seeded.benchUserIds, kind, 8);
    console.log(`${kind.name}: p50 ${percentile(times, 50).toFixed(2)} ms over ${times.length}`);
    assert.ok(times.length >= 8, kind.name);
    const allowed = new Set(
      (await Promise.all(seeded.benchUserIds.map((id) => userChats(seeded.pool, id)))).flat(),
    );
    for (const page of pagesSeen) {
      for (const message of page) {
        assert.ok(allowed.has(message.chatId), `${kind.name}: a chat of a bench user`);
      }
      const times = page.map((message) => message.createdAt);
      assert.deepEqual(times, [...times].sort().reverse(), `${kind.name}: newest first`);
    }
  }
});

test('following the cursors finds exactly what a scan finds, for common and rare words', async () => {
  const userId = seeded.benchUserIds[0] ?? '';
  const rare = await seeded.pool.query<{ word: string }>(
    `SELECT split_part(m.message ->> 'content', ' ', 1) AS word FROM messages m
     JOIN chat_members c USING (chat_id) WHERE c.user_id = $1
       AND m.message ->> 'content' LIKE 'w%' LIMIT 1`,
    [userId],
  );
  const queries = [
    vocabulary.common,
    vocabulary.frequent,
    'Straße',
    `${vocabulary.common} ${vocabulary.frequent}`,
    rare.rows[0]?.word ?? 'w1',
  ];
  for (const q of queries) {
    const want = await expected(userId, q);
    const got: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await new MessageSearch(seeded.pool).search(userId, {
        q,
        limit: 50,
        ...(cursor ? { cursor } : {}),
      });
      got.push(...page.items.map((message) => message.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    assert.deepEqual(got, want, `"${q}"`);
  }
  assert.ok((await expected(userId, vocabulary.common)).length > 100, 'common words are common');
});
