import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { topics } from '@messenger/contracts';
import { eventually } from '@messenger/testkit/eventually';
import {
  contactApi as api,
  befriend,
  sendRequest,
  type RequestBody,
} from '@messenger/testkit/social';
import { call } from '@messenger/testkit/http';
import { friendIds, relationship } from '@messenger/testkit/contact/relationships';
import { newUser } from '@messenger/testkit/users';
import { watchTopic } from '@messenger/testkit/kafka';

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

test('removing a friend ends it for both sides', async () => {
  const [a, b, stranger] = await Promise.all([newUser('rm'), newUser('rm'), newUser('rm')]);
  await befriend(a, b);
  assert.equal(
    (await call('DELETE', `${api}/friends/${stranger.id}`, { token: a.token })).status,
    404,
  );
  assert.equal((await call('DELETE', `${api}/friends/${b.id}`, { token: a.token })).status, 204);
  assert.deepEqual(await friendIds(a), []);
  assert.deepEqual(await friendIds(b), []);
  assert.equal((await relationship(b, a)).friends, false);
  assert.equal((await call('DELETE', `${api}/friends/${a.id}`, { token: b.token })).status, 404);
});

test('blocking removes the friendship and pending requests both ways, and stops new requests', async () => {
  const [a, b, c] = await Promise.all([newUser('blk'), newUser('blk'), newUser('blk')]);
  await befriend(a, b);
  const pendingFromC = await sendRequest(c, { userId: a.id });
  assert.equal(pendingFromC.status, 201);

  const blockB = await call<{ userId: string; createdAt: string }>(
    'POST',
    `${api}/blocks/${b.id}`,
    {
      token: a.token,
    },
  );
  assert.equal(blockB.status, 201);
  assert.equal(blockB.body.userId, b.id);
  assert.deepEqual(await friendIds(a), []);
  assert.deepEqual(await friendIds(b), []);
  assert.deepEqual(await relationship(a, b), {
    friends: false,
    blockedByA: true,
    blockedByB: false,
  });
  assert.deepEqual(await relationship(b, a), {
    friends: false,
    blockedByA: false,
    blockedByB: true,
  });

  assert.equal((await call('POST', `${api}/blocks/${c.id}`, { token: a.token })).status, 201);
  const incoming = await call<Page<RequestBody>>(
    'GET',
    `${api}/friends/requests?direction=incoming`,
    {
      token: a.token,
    },
  );
  assert.deepEqual(incoming.body.items, [], 'the pending request went with the block');
  const accept = await call('POST', `${api}/friends/requests/${pendingFromC.body.id}/accept`, {
    token: a.token,
  });
  assert.equal(accept.status, 404);

  for (const [from, to] of [
    [a, b],
    [b, a],
  ] as const) {
    const across = await sendRequest(from, { userId: to.id });
    assert.equal(across.status, 403);
    assert.equal(across.body['code' as keyof RequestBody], 'blocked');
  }
  const byNickname = await sendRequest(b, { nickname: a.nickname });
  assert.equal(byNickname.status, 403);

  const blocks = await call<Page<{ userId: string }>>('GET', `${api}/blocks`, { token: a.token });
  assert.deepEqual(
    blocks.body.items.map((block) => block.userId),
    [c.id, b.id],
  );
  const theirs = await call<Page<{ userId: string }>>('GET', `${api}/blocks`, { token: b.token });
  assert.deepEqual(theirs.body.items, [], 'a block is listed only for the one who blocked');

  assert.equal((await call('DELETE', `${api}/blocks/${b.id}`, { token: a.token })).status, 204);
  assert.deepEqual(await relationship(a, b), {
    friends: false,
    blockedByA: false,
    blockedByB: false,
  });
  assert.equal((await call('DELETE', `${api}/blocks/${b.id}`, { token: a.token })).status, 404);
  assert.equal((await sendRequest(b, { userId: a.id })).status, 201, 'requests work again');
});

test('blocks are refused for yourself, twice, or an unknown user; both sides may block', async () => {
  const [a, b] = await Promise.all([newUser('blk'), newUser('blk')]);
  const self = await call('POST', `${api}/blocks/${a.id}`, { token: a.token });
  assert.equal(self.status, 409);
  assert.equal(self.body['code'], 'self_block');
  assert.equal(
    (await call('POST', `${api}/blocks/${randomUUID()}`, { token: a.token })).status,
    404,
  );
  assert.equal((await call('POST', `${api}/blocks/${b.id}`, { token: a.token })).status, 201);
  const twice = await call('POST', `${api}/blocks/${b.id}`, { token: a.token });
  assert.equal(twice.status, 409);
  assert.equal(twice.body['code'], 'already_blocked');
  assert.equal((await call('POST', `${api}/blocks/${a.id}`, { token: b.token })).status, 201);
  assert.deepEqual(await relationship(a, b), {
    friends: false,
    blockedByA: true,
    blockedByB: true,
  });
  assert.equal((await call('DELETE', `${api}/blocks/${b.id}`, { token: a.token })).status, 204);
  assert.equal((await sendRequest(a, { userId: b.id })).status, 403, 'b still blocks a');
});

test('friends and blocks page newest first with a cursor', async () => {
  const user = await newUser('many');
  const others = await Promise.all(Array.from({ length: 5 }, () => newUser('other')));
  for (const other of others) await befriend(other, user);
  const collect = async (path: string): Promise<string[]> => {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `${api}${path}?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page: { body: Page<{ userId: string }> } = await call<Page<{ userId: string }>>(
        'GET',
        url,
        { token: user.token },
      );
      assert.ok(page.body.items.length <= 2);
      ids.push(...page.body.items.map((item) => item.userId));
      cursor = page.body.nextCursor;
    } while (cursor);
    return ids;
  };
  const newestFirst = others.map((other) => other.id).reverse();
  assert.deepEqual(await collect('/friends'), newestFirst);
  for (const other of others) {
    assert.equal(
      (await call('POST', `${api}/blocks/${other.id}`, { token: user.token })).status,
      201,
    );
  }
  assert.deepEqual(await collect('/blocks'), newestFirst);
  assert.deepEqual(await collect('/friends'), []);
});

test('every change of a pair is published, keyed by the pair', async () => {
  const [a, b] = await Promise.all([newUser('evt'), newUser('evt')]);
  const watcher = await watchTopic(topics.contact);
  try {
    await befriend(a, b);
    await call('DELETE', `${api}/friends/${b.id}`, { token: a.token });
    await befriend(b, a);
    await call('POST', `${api}/blocks/${b.id}`, { token: a.token });
    await call('DELETE', `${api}/blocks/${b.id}`, { token: a.token });
    const expected = [
      'friendship.created',
      'friendship.accepted',
      'friendship.removed',
      'friendship.created',
      'friendship.accepted',
      'friendship.removed',
      'user.blocked',
      'user.unblocked',
    ];
    const mine = () => watcher.events.filter((event) => JSON.stringify(event.data).includes(a.id));
    await eventually(
      () => (mine().length >= expected.length ? true : undefined),
      15_000,
      'the pair’s events',
    );
    assert.deepEqual(
      mine().map((event) => event.type),
      expected,
    );
    const pairKey = [a.id, b.id].sort().join(':');
    assert.ok(mine().every((event) => event.key === pairKey));
    const removedByBlock = mine()[5];
    assert.deepEqual(removedByBlock?.data, { userId: a.id, friendId: b.id, reason: 'blocked' });
    assert.deepEqual(mine()[6]?.data['blockerId'], a.id);
  } finally {
    await watcher.stop();
  }
});
