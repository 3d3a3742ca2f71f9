import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Message } from '@messenger/contracts';
import { directChat, groupChat, history, send } from '@messenger/testkit/messaging/chats';
import { call } from '@messenger/testkit/http';
import { instanceA, instanceB } from '@messenger/testkit/sockets';
import { befriend, block, unblock, unfriend } from '@messenger/testkit/social';
import { newUsers } from '@messenger/testkit/users';
import { forgetChats } from '@messenger/testkit/messaging/cleanup';

after(() => forgetChats());

test('seqs start at 1 with no gaps, and a repeated clientMsgId returns the stored message', async () => {
  const [a, b] = await newUsers(2);
  await befriend(a!, b!);
  const chat = await directChat(instanceA, a!, b!);
  const clientMsgId = randomUUID();
  const first = await send(instanceA, a!, chat.id, 'one', clientMsgId);
  assert.equal(first.status, 201);
  assert.equal(first.body.seq, 1);
  const retry = await send(instanceB, a!, chat.id, 'one again?', clientMsgId);
  assert.equal(retry.status, 200);
  assert.deepEqual(retry.body, first.body);
  const byOther = await send(instanceB, b!, chat.id, 'two', clientMsgId);
  assert.equal(byOther.status, 201, 'the key is per sender');
  assert.equal(byOther.body.seq, 2);
});

test('ten racing sends of one clientMsgId through both instances store one message', async () => {
  const [a, b] = await newUsers(2);
  await befriend(a!, b!);
  const chat = await directChat(instanceA, a!, b!);
  const clientMsgId = randomUUID();
  const answers = await Promise.all(
    Array.from({ length: 10 }, (_, i) =>
      send(i % 2 ? instanceA : instanceB, a!, chat.id, 'racing', clientMsgId),
    ),
  );
  assert.equal(answers.filter((answer) => answer.status === 201).length, 1);
  assert.ok(answers.every((answer) => answer.status === 201 || answer.status === 200));
  assert.equal(new Set(answers.map((answer) => answer.body.id)).size, 1);
  const next = await send(instanceB, a!, chat.id, 'after the race');
  assert.equal(next.body.seq, 2, 'no seq was burned by the losers');
  assert.deepEqual(
    (await history(instanceA, b!, chat.id)).map((m) => m.seq),
    [1, 2],
  );
});

test('concurrent senders on both instances get distinct, gap-free seqs', async () => {
  const [admin, x, y] = await newUsers(3);
  await Promise.all([befriend(admin!, x!), befriend(admin!, y!)]);
  const group = await groupChat(instanceA, admin!, [x!, y!]);
  const senders = [admin!, x!, y!];
  const answers = await Promise.all(
    Array.from({ length: 30 }, (_, i) =>
      send(i % 2 ? instanceA : instanceB, senders[i % 3]!, group.id, `m${i}`),
    ),
  );
  assert.ok(answers.every((answer) => answer.status === 201));
  const seqs = answers.map((answer) => answer.body.seq).sort((p, q) => p - q);
  assert.deepEqual(
    seqs,
    Array.from({ length: 30 }, (_, i) => i + 1),
  );
  const stored = await history(instanceB, x!, group.id);
  assert.deepEqual(
    stored.map((m) => m.id),
    answers
      .map((answer) => answer.body)
      .sort((p, q) => p.seq - q.seq)
      .map((m) => m.id),
  );
});

test('history pages forward by afterSeq, backward by beforeSeq, and by cursor', async () => {
  const [a, b] = await newUsers(2);
  await befriend(a!, b!);
  const chat = await directChat(instanceA, a!, b!);
  for (let i = 1; i <= 7; i += 1) await send(instanceA, i % 2 ? a! : b!, chat.id, `n${i}`);
  type Page = { items: Message[]; nextCursor: string | null };
  const get = (query: string) =>
    call<Page>('GET', `${instanceB}/api/v1/chats/${chat.id}/messages?${query}`, {
      token: a!.token,
    });
  const seqs = (page: Page) => page.items.map((m) => m.seq);

  const forward = await get('afterSeq=2&limit=3');
  assert.deepEqual(seqs(forward.body), [3, 4, 5]);
  const forwardNext = await get(`cursor=${forward.body.nextCursor}&limit=3`);
  assert.deepEqual(seqs(forwardNext.body), [6, 7]);
  assert.equal(forwardNext.body.nextCursor, null);

  const backward = await get('beforeSeq=7&limit=4');
  assert.deepEqual(seqs(backward.body), [3, 4, 5, 6]);
  const backwardNext = await get(`cursor=${backward.body.nextCursor}&limit=4`);
  assert.deepEqual(seqs(backwardNext.body), [1, 2]);
  assert.equal(backwardNext.body.nextCursor, null);

  assert.deepEqual(seqs((await get('limit=2')).body), [6, 7], 'no bounds: the newest');
  assert.deepEqual(seqs((await get('afterSeq=1&beforeSeq=4')).body), [2, 3]);
  assert.deepEqual(seqs((await get('afterSeq=7')).body), []);
});

test('a block either way or an unfriending stops direct messages at once', async () => {
  const [a, b] = await newUsers(2);
  await befriend(a!, b!);
  const chat = await directChat(instanceA, a!, b!);
  assert.equal((await send(instanceA, a!, chat.id, 'before')).status, 201);

  await block(b!, a!);
  const blocked = await send(instanceB, a!, chat.id, 'blocked by b');
  assert.equal(blocked.status, 403);
  assert.equal((blocked.body as unknown as { code: string }).code, 'blocked');
  const blocker = await send(instanceA, b!, chat.id, 'b blocks a');
  assert.equal((blocker.body as unknown as { code: string }).code, 'blocked');
  const reopen = await call('POST', `${instanceA}/api/v1/chats`, {
    token: a!.token,
    body: { type: 'direct', userId: b!.id },
  });
  assert.equal(reopen.status, 403);

  await unblock(b!, a!);
  const notFriends = await send(instanceA, a!, chat.id, 'blocking removed the friendship');
  assert.equal(notFriends.status, 403);
  assert.equal((notFriends.body as unknown as { code: string }).code, 'not_friends');

  await befriend(a!, b!);
  assert.equal((await send(instanceB, a!, chat.id, 'friends again')).status, 201);
  await unfriend(b!, a!);
  const unfriended = await send(instanceB, a!, chat.id, 'after unfriending');
  assert.equal((unfriended.body as unknown as { code: string }).code, 'not_friends');
});
