import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { contactApi as api, befriend, sendRequest } from '@messenger/testkit/social';
import { call } from '@messenger/testkit/http';
import { contactUrl } from '@messenger/testkit/service-urls';
import { newUser } from '@messenger/testkit/users';
import { relationship } from '@messenger/testkit/contact/relationships';

test('the relationship answer follows every change at once (the cache never lags)', async () => {
  const [a, b] = await Promise.all([newUser('rel'), newUser('rel')]);
  const none = { friends: false, blockedByA: false, blockedByB: false };
  let reading = true;
  const readers = Array.from({ length: 3 }, async () => {
    while (reading) await relationship(a, b);
  });
  try {
    for (let round = 0; round < 8; round++) {
      assert.deepEqual(await relationship(a, b), none);
      await befriend(a, b);
      assert.deepEqual(await relationship(a, b), { ...none, friends: true });
      assert.deepEqual(await relationship(b, a), { ...none, friends: true });
      await call('POST', `${api}/blocks/${a.id}`, { token: b.token });
      assert.deepEqual(await relationship(a, b), { ...none, blockedByB: true });
      assert.deepEqual(await relationship(b, a), { ...none, blockedByA: true });
      await call('DELETE', `${api}/blocks/${a.id}`, { token: b.token });
      assert.deepEqual(await relationship(a, b), none);
      await befriend(b, a);
      assert.equal((await relationship(a, b)).friends, true);
      await call('DELETE', `${api}/friends/${a.id}`, { token: b.token });
      assert.equal((await relationship(a, b)).friends, false, `round ${round}`);
    }
  } finally {
    reading = false;
    await Promise.all(readers);
  }
});

test('a pending request is not a friendship; the internal friends list holds accepted friends only', async () => {
  const [user, friend1, friend2, asking] = await Promise.all([
    newUser('fl'),
    newUser('fl'),
    newUser('fl'),
    newUser('fl'),
  ]);
  await befriend(user, friend1);
  await befriend(friend2, user);
  await sendRequest(asking, { userId: user.id });
  assert.equal((await relationship(user, asking)).friends, false);
  const answer = await call<{ items: string[] }>(
    'GET',
    `${contactUrl}/internal/friends/${user.id}`,
  );
  assert.equal(answer.status, 200);
  assert.deepEqual(new Set(answer.body.items), new Set([friend1.id, friend2.id]));
  const nobody = await call<{ items: string[] }>(
    'GET',
    `${contactUrl}/internal/friends/${randomUUID()}`,
  );
  assert.deepEqual(nobody.body.items, []);
});

test('bad internal queries are 400 problems', async () => {
  const id = randomUUID();
  for (const path of [
    '/internal/relationships',
    `/internal/relationships?a=${id}`,
    `/internal/relationships?a=${id}&b=nope`,
    `/internal/relationships?a=${id}&b=${id}&b=${id}`,
    '/internal/friends/nope',
  ]) {
    const answer = await call('GET', `${contactUrl}${path}`);
    assert.equal(answer.status, 400, path);
    assert.match(answer.contentType, /^application\/problem\+json/);
  }
});
