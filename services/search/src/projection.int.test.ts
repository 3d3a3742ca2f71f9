import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { Envelope, Message } from '@messenger/contracts';
import {
  createLogger,
  createPgPool,
  migrate,
  migrationsDirOf,
  platformMigrationsDir,
  type Pool,
} from '@messenger/platform';
import { eventually } from '@messenger/testkit/eventually';
import {
  deletedEvent,
  editedEvent,
  messageTopicFromNow,
  reactedEvent,
  sentEvent,
  systemMessage,
  userMessage,
  type MessageTopic,
} from '@messenger/testkit/search/message-events';
import { createTestDatabase } from '@messenger/testkit/stack';
import { messageEventsHandler } from './message-consumer.js';
import { MessageSearch } from './message-search.js';

const logger = createLogger('search-test', 'silent');
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: Pool;
let topic: MessageTopic;

before(async () => {
  database = await createTestDatabase('search_projection');
  pool = createPgPool(database.url, logger);
  await migrate(
    pool,
    { platform: platformMigrationsDir, search: migrationsDirOf(__dirname) },
    logger,
  );
  topic = await messageTopicFromNow(messageEventsHandler(pool, logger));
});

after(async () => {
  await topic.stop();
  await pool.end();
  await database.drop();
});

/** Publishes the events and waits until the projection has applied every one of them. */
async function publish(...events: Envelope[]): Promise<void> {
  await topic.publish(...events);
  const ids = [...new Set(events.map((event) => event.id))];
  await eventually(
    async () => {
      const { rows } = await pool.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM processed_events WHERE event_id = ANY($1::uuid[])',
        [ids],
      );
      return rows[0]?.n === ids.length ? true : undefined;
    },
    20_000,
    `${ids.length} events applied`,
  );
}

async function found(userId: string, q: string, chatId?: string): Promise<Message[]> {
  const page = await new MessageSearch(pool).search(userId, {
    q,
    limit: 50,
    ...(chatId ? { chatId } : {}),
  });
  return page.items;
}

const ids = (messages: Message[]) => messages.map((message) => message.id);

test('members find a message by any of its words in any case; others never do', async () => {
  const [chat, other] = [randomUUID(), randomUUID()];
  const [ada, bob, eve] = [randomUUID(), randomUUID(), randomUUID()];
  const hello = userMessage(chat, 1, ada, 'Meet at the Lighthouse, Straße 5 at noon');
  const mediaOnly = { ...userMessage(chat, 2, ada, ''), mediaUrl: 'https://cdn.example/x.png' };
  const elsewhere = userMessage(other, 1, eve, 'lighthouse keepers only');
  await publish(
    sentEvent(hello, [ada, bob]),
    sentEvent(mediaOnly, [ada, bob]),
    sentEvent(elsewhere, [eve]),
  );
  assert.deepEqual(ids(await found(bob, 'lighthouse')), [hello.id]);
  assert.deepEqual(ids(await found(ada, 'LIGHTHOUSE noon')), [hello.id]);
  assert.deepEqual(ids(await found(ada, 'straße')), [hello.id]);
  assert.deepEqual(await found(ada, 'lighthouse tomorrow'), [], 'every word must occur');
  assert.deepEqual(ids(await found(eve, 'lighthouse')), [elsewhere.id], 'only her own chat');
  assert.deepEqual(await found(eve, 'lighthouse', chat), [], 'a chat she is not in');
  assert.deepEqual(ids(await found(ada, 'lighthouse', chat)), [hello.id]);
  assert.deepEqual((await found(bob, 'lighthouse'))[0], hello, 'the message as it was sent');
});

test('an edit replaces the words; a late older edit or a replayed send cannot bring them back', async () => {
  const chat = randomUUID();
  const [ada, bob] = [randomUUID(), randomUUID()];
  const message = userMessage(chat, 1, ada, 'original walrus');
  const sent = sentEvent(message, [ada, bob]);
  const first = editedEvent(message, 'first narwhal', 2);
  const second = editedEvent(message, 'second octopus', 5);
  await publish(sent, first, second);
  assert.deepEqual(await found(bob, 'walrus'), []);
  assert.deepEqual(await found(bob, 'narwhal'), []);
  const [edited] = await found(bob, 'octopus');
  assert.equal(edited?.content, 'second octopus');
  assert.equal(edited.editedAt, (second.data['message'] as Message).editedAt);

  const older = editedEvent(message, 'stale penguin', 3);
  await publish(older, { ...sent, id: randomUUID() }, first);
  assert.deepEqual(await found(bob, 'penguin'), [], 'an older edit applied after a newer one');
  assert.deepEqual(await found(bob, 'walrus'), [], 'the send again, as a new event');
  assert.deepEqual(ids(await found(bob, 'octopus')), [message.id]);
});

test('a deleted message is gone for good, whatever arrives after the delete', async () => {
  const chat = randomUUID();
  const [ada, bob] = [randomUUID(), randomUUID()];
  const kept = userMessage(chat, 1, ada, 'albatross kept');
  const gone = userMessage(chat, 2, ada, 'albatross gone');
  const sent = sentEvent(gone, [ada, bob]);
  await publish(sentEvent(kept, [ada, bob]), sent);
  assert.equal((await found(bob, 'albatross')).length, 2);
  await publish(deletedEvent(gone, 3));
  assert.deepEqual(ids(await found(bob, 'albatross')), [kept.id]);
  await publish({ ...sent, id: randomUUID() }, editedEvent(gone, 'albatross revived', 9));
  assert.deepEqual(ids(await found(ada, 'albatross')), [kept.id]);
  assert.deepEqual(await found(ada, 'revived'), []);
});

test('a member who left or was removed finds nothing more of the chat; one who rejoined does', async () => {
  const chat = randomUUID();
  const [admin, leaver, removed] = [randomUUID(), randomUUID(), randomUUID()];
  const everyone = [admin, leaver, removed];
  const before = userMessage(chat, 1, admin, 'flamingo before');
  await publish(sentEvent(before, everyone));
  for (const user of everyone) assert.deepEqual(ids(await found(user, 'flamingo')), [before.id]);

  // Their own system messages reach them (recipients), yet they are no longer members.
  await publish(
    sentEvent(systemMessage(chat, 2, 'left', leaver, leaver), everyone),
    sentEvent(systemMessage(chat, 3, 'removed', admin, removed), [admin, removed]),
  );
  assert.deepEqual(await found(leaver, 'flamingo'), []);
  assert.deepEqual(await found(removed, 'flamingo'), []);
  assert.deepEqual(await found(removed, 'flamingo', chat), []);
  assert.deepEqual(ids(await found(admin, 'flamingo')), [before.id]);

  // A send relayed late with an older seq does not make them members again.
  const late = userMessage(chat, 1, admin, 'flamingo late');
  await publish(sentEvent(late, everyone));
  assert.deepEqual(await found(removed, 'flamingo'), []);

  await publish(sentEvent(systemMessage(chat, 4, 'joined', admin, removed), [admin, removed]));
  assert.equal((await found(removed, 'flamingo')).length, 2, 'back in, history included');
  assert.deepEqual(await found(leaver, 'flamingo'), []);
});

test('reactions follow the events; each reader sees whether they reacted', async () => {
  const chat = randomUUID();
  const [ada, bob] = [randomUUID(), randomUUID()];
  const message = userMessage(chat, 1, ada, 'otter spotted');
  await publish(
    sentEvent(message, [ada, bob]),
    reactedEvent(message, 2, ada, '👍', { '👍': [ada] }),
    reactedEvent(message, 3, bob, '👍', { '👍': [ada, bob], '🎉': [bob] }),
  );
  const reactionsOf = async (user: string) => (await found(user, 'otter'))[0]?.reactions;
  assert.deepEqual(await reactionsOf(ada), [
    { emoji: '👍', count: 2, me: true },
    { emoji: '🎉', count: 1, me: false },
  ]);
  assert.deepEqual(await reactionsOf(bob), [
    { emoji: '👍', count: 2, me: true },
    { emoji: '🎉', count: 1, me: true },
  ]);
  await publish(reactedEvent(message, 2, ada, '👍', { '👍': [ada] }));
  assert.equal((await reactionsOf(bob))?.length, 2, 'an older reaction event changes nothing');
});

test('a replayed event (same id) is applied once', async () => {
  const chat = randomUUID();
  const [ada, bob] = [randomUUID(), randomUUID()];
  const message = userMessage(chat, 1, ada, 'pelican one');
  const sent = sentEvent(message, [ada, bob]);
  const leave = sentEvent(systemMessage(chat, 2, 'left', bob, bob), [ada, bob]);
  const rejoin = sentEvent(systemMessage(chat, 3, 'joined', ada, bob), [ada, bob]);
  await publish(sent, leave, rejoin);
  // The leave again (the same event redelivered) must not undo the later rejoin.
  await publish(leave, sent, leave);
  assert.deepEqual(ids(await found(bob, 'pelican')), [message.id]);
  const { rows } = await pool.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM processed_events WHERE event_id = ANY($1::uuid[])',
    [[sent.id, leave.id, rejoin.id]],
  );
  assert.equal(rows[0]?.n, 3);
});

test('pages go newest first across chats with no duplicate and no gap, ties broken by id', async () => {
  const user = randomUUID();
  const chats = [randomUUID(), randomUUID(), randomUUID()];
  const start = Date.now() - 3_600_000;
  const messages = Array.from({ length: 61 }, (_, i) => {
    const chat = chats[i % chats.length] ?? chats[0];
    // Groups of three share a creation time, so the id must order them.
    const at = new Date(start + Math.floor(i / 3) * 1000);
    return userMessage(String(chat), Math.floor(i / 3) + 1, user, `heron number ${i}`, at);
  });
  await publish(...messages.map((message) => sentEvent(message, [user])));
  const expected = [...messages]
    .sort((a, b) =>
      a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1,
    )
    .map((message) => message.id);
  const seen: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await new MessageSearch(pool).search(user, {
      q: 'heron',
      limit: 7,
      ...(cursor ? { cursor } : {}),
    });
    seen.push(...ids(page.items));
    cursor = page.nextCursor ?? undefined;
    pages += 1;
  } while (cursor);
  assert.equal(pages, 9);
  assert.deepEqual(seen, expected);
  const oneChat = await new MessageSearch(pool).search(user, {
    q: 'heron',
    limit: 50,
    chatId: chats[1],
  });
  assert.equal(oneChat.items.length, 20);
  assert.ok(oneChat.items.every((message) => message.chatId === chats[1]));
});
