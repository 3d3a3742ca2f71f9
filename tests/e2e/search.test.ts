import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Message } from '@messenger/contracts';
import { eventually } from '@messenger/testkit/eventually';
import { befriend, call, register, type TestUser } from '@messenger/testkit/gateway/app-client';

interface Page {
  items: Message[];
  nextCursor: string | null;
}

/** The index follows messaging through Kafka: a sent message is searchable within this. */
const INDEXED_WITHIN_MS = 15_000;

/** A word no other test or run has written. */
const uniqueWord = (prefix: string) => `${prefix}${randomBytes(5).toString('hex')}`;

function search<T = Page>(user: TestUser, query: Record<string, string>) {
  return call<T>('GET', `/search/messages?${new URLSearchParams(query).toString()}`, {
    token: user.accessToken,
  });
}

async function found(user: TestUser, q: string, chatId?: string): Promise<string[]> {
  const answer = await search(user, { q, ...(chatId ? { chatId } : {}) });
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  return answer.body.items.map((message) => message.id);
}

/** Waits until `user`'s search for `q` gives exactly `ids`. */
function eventuallyFinds(user: TestUser, q: string, ids: string[]) {
  return eventually(
    async () => {
      const seen = await found(user, q);
      return JSON.stringify(seen) === JSON.stringify(ids) ? seen : undefined;
    },
    INDEXED_WITHIN_MS,
    `${user.nickname}'s search for ${q} to give ${ids.length} message(s)`,
  );
}

async function send(user: TestUser, chatId: string, content: string): Promise<Message> {
  const sent = await call<Message>('POST', `/chats/${chatId}/messages`, {
    token: user.accessToken,
    body: { clientMsgId: randomUUID(), content },
  });
  assert.equal(sent.status, 201, JSON.stringify(sent.body));
  return sent.body;
}

async function group(admin: TestUser, members: TestUser[]): Promise<string> {
  for (const member of members) await befriend(admin, member);
  const created = await call<{ id: string }>('POST', '/chats', {
    token: admin.accessToken,
    body: { type: 'group', name: 'search', memberIds: members.map((member) => member.id) },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return created.body.id;
}

test('a sent message is found by its members within a bounded wait, never by others', async () => {
  const [ada, bob, eve] = await Promise.all([register('sr'), register('sr'), register('sr')]);
  await befriend(ada, bob);
  const direct = await call<{ id: string }>('POST', '/chats', {
    token: ada.accessToken,
    body: { type: 'direct', userId: bob.id },
  });
  assert.equal(direct.status, 201);
  const word = uniqueWord('kiwi');
  const message = await send(ada, direct.body.id, `Bring the ${word} tomorrow`);
  await eventuallyFinds(bob, word.toUpperCase(), [message.id]);
  assert.deepEqual(await found(ada, `${word} tomorrow`, direct.body.id), [message.id]);
  // Indexed by now (bob found it): eve finds nothing, even naming the chat.
  assert.deepEqual(await found(eve, word), []);
  assert.deepEqual(await found(eve, word, direct.body.id), []);
});

test('an edit is found by its new words, not its old ones; a message deleted for everyone is gone', async () => {
  const [ada, bob] = await Promise.all([register('se'), register('se')]);
  const chatId = await group(ada, [bob]);
  const [before, after, gone] = [uniqueWord('plum'), uniqueWord('pear'), uniqueWord('fig')];
  const edited = await send(ada, chatId, `bring a ${before}`);
  const deleted = await send(ada, chatId, `bring a ${gone}`);
  await eventuallyFinds(bob, gone, [deleted.id]);
  const edit = await call<Message>('PATCH', `/chats/${chatId}/messages/${edited.id}`, {
    token: ada.accessToken,
    body: { content: `bring a ${after}` },
  });
  assert.equal(edit.status, 200, JSON.stringify(edit.body));
  const removal = await call('DELETE', `/chats/${chatId}/messages/${deleted.id}?for=everyone`, {
    token: ada.accessToken,
  });
  assert.equal(removal.status, 204, JSON.stringify(removal.body));
  await eventuallyFinds(bob, after, [edited.id]);
  await eventuallyFinds(bob, gone, []);
  assert.deepEqual(await found(bob, before), []);
  const [shown] = (await search(bob, { q: after })).body.items;
  assert.equal(shown?.content, `bring a ${after}`);
  assert.deepEqual(await found(bob, 'bring'), [edited.id], 'the deleted one under no word');
});

test('a member removed from a group finds nothing more of it; the others still do', async () => {
  const [admin, stays, removed] = await Promise.all([
    register('sg'),
    register('sg'),
    register('sg'),
  ]);
  const chatId = await group(admin, [stays, removed]);
  const word = uniqueWord('mango');
  const message = await send(admin, chatId, `${word} for everyone`);
  await eventuallyFinds(removed, word, [message.id]);
  const removal = await call('DELETE', `/chats/${chatId}/members/${removed.id}`, {
    token: admin.accessToken,
  });
  assert.equal(removal.status, 204);
  await eventuallyFinds(removed, word, []);
  assert.deepEqual(await found(stays, word), [message.id]);
  assert.deepEqual(await found(removed, word, chatId), []);
});

test('bad input is a 400 problem naming the query, a missing token a 401', async () => {
  const user = await register('sb');
  const bad: Record<string, string>[] = [
    {},
    { q: '' },
    { q: '   ' },
    { q: '?!…' },
    { q: 'x'.repeat(201) },
    { q: 'one two three four five six seven eight nine' },
    { q: 'ok', limit: '0' },
    { q: 'ok', limit: '51' },
    { q: 'ok', limit: 'many' },
    { q: 'ok', chatId: 'not-a-chat' },
    { q: 'ok', cursor: 'garbage' },
    { q: 'ok', cursor: Buffer.from('{"at":1}').toString('base64url') },
    {
      q: 'ok',
      cursor: Buffer.from(
        JSON.stringify({ at: '0000-01-01T00:00:00Z', id: randomUUID() }),
      ).toString('base64url'),
    },
    { q: 'bell\u0007' },
  ];
  for (const query of bad) {
    const answer = await search<Record<string, unknown>>(user, query);
    assert.equal(answer.status, 400, `${JSON.stringify(query)}: ${JSON.stringify(answer.body)}`);
    assert.equal(answer.body['code'], 'validation_failed', JSON.stringify(query));
    assert.match(answer.headers.get('content-type') ?? '', /^application\/problem\+json/);
  }
  const anonymous = await call('GET', '/search/messages?q=hello');
  assert.equal(anonymous.status, 401);
  const fine = await search(user, { q: 'hello', limit: '50' });
  assert.equal(fine.status, 200);
});
