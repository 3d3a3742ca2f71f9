import { test } from 'node:test';
import assert from 'node:assert/strict';
import { uniqueNickname } from '@messenger/testkit/users';
import { befriend, call, register } from '@messenger/testkit/gateway/app-client';

interface Profile {
  userId: string;
  nickname: string;
  displayName: string | null;
  bio: string | null;
  avatarUrl: string | null;
}

test('a profile is edited and found by id, nickname and search', async () => {
  const user = await register('prof');
  const viewer = await register('viewer');
  const edited = await call<Profile>('PATCH', '/profiles/me', {
    token: user.accessToken,
    body: {
      displayName: 'Ada Lovelace',
      bio: 'first programmer',
      avatarUrl: 'https://example.com/ada.png',
    },
  });
  assert.equal(edited.status, 200);
  assert.equal(edited.body.displayName, 'Ada Lovelace');
  const byId = await call<Profile>('GET', `/profiles/${user.id}`, { token: viewer.accessToken });
  assert.equal(byId.body.bio, 'first programmer', 'the edit is visible at once');
  const byNickname = await call<Profile>(
    'GET',
    `/profiles/by-nickname/${user.nickname.toUpperCase()}`,
    { token: viewer.accessToken },
  );
  assert.equal(byNickname.status, 200);
  assert.equal(byNickname.body.userId, user.id);
  const search = await call<{ items: Profile[]; nextCursor: string | null }>(
    'GET',
    `/profiles?search=${user.nickname.slice(0, 10)}`,
    { token: viewer.accessToken },
  );
  assert.equal(search.status, 200);
  assert.ok(search.body.items.some((p) => p.userId === user.id));
  assert.equal(
    JSON.stringify(byId.body).includes(user.email),
    false,
    'profiles never expose the email',
  );
  const http = await call('PATCH', '/profiles/me', {
    token: user.accessToken,
    body: { avatarUrl: 'http://example.com/a.png' },
  });
  assert.equal(http.status, 400);
});

test('changing the nickname to a taken one is a 409', async () => {
  const [a, b] = await Promise.all([register('nick'), register('nick')]);
  const taken = await call('PATCH', '/profiles/me', {
    token: a.accessToken,
    body: { nickname: b.nickname },
  });
  assert.equal(taken.status, 409);
  assert.equal(taken.body['code'], 'nickname_taken');
  const fresh = uniqueNickname('new');
  const changed = await call<Profile>('PATCH', '/profiles/me', {
    token: a.accessToken,
    body: { nickname: fresh },
  });
  assert.equal(changed.body.nickname, fresh);
});

test('friend requests are sent, listed, accepted, rejected and cancelled by the right people only', async () => {
  const [alice, bob, carol, eve] = await Promise.all([
    register('alice'),
    register('bob'),
    register('carol'),
    register('eve'),
  ]);
  const request = await call<{ id: string; status: string; toUserId: string }>(
    'POST',
    '/friends/requests',
    { token: alice.accessToken, body: { nickname: bob.nickname } },
  );
  assert.equal(request.status, 201);
  assert.equal(request.body.status, 'pending');
  assert.equal(request.body.toUserId, bob.id);
  const incoming = await call<{ items: { id: string }[] }>(
    'GET',
    '/friends/requests?direction=incoming',
    { token: bob.accessToken },
  );
  assert.ok(incoming.body.items.some((r) => r.id === request.body.id));
  assert.equal(
    (await call('POST', `/friends/requests/${request.body.id}/accept`, { token: eve.accessToken }))
      .status,
    404,
  );
  assert.equal(
    (
      await call('POST', `/friends/requests/${request.body.id}/accept`, {
        token: alice.accessToken,
      })
    ).status,
    404,
  );
  const accepted = await call<{ status: string }>(
    'POST',
    `/friends/requests/${request.body.id}/accept`,
    { token: bob.accessToken },
  );
  assert.equal(accepted.body.status, 'accepted');
  const friends = await call<{ items: { userId: string; nickname: string }[] }>('GET', '/friends', {
    token: alice.accessToken,
  });
  assert.deepEqual(
    friends.body.items.map((f) => f.nickname),
    [bob.nickname],
  );

  const toCarol = await call<{ id: string }>('POST', '/friends/requests', {
    token: alice.accessToken,
    body: { userId: carol.id },
  });
  const rejected = await call<{ status: string }>(
    'POST',
    `/friends/requests/${toCarol.body.id}/reject`,
    { token: carol.accessToken },
  );
  assert.equal(rejected.body.status, 'rejected');
  const toEve = await call<{ id: string }>('POST', '/friends/requests', {
    token: alice.accessToken,
    body: { userId: eve.id },
  });
  assert.equal(
    (await call('DELETE', `/friends/requests/${toEve.body.id}`, { token: eve.accessToken })).status,
    404,
    'only the sender cancels',
  );
  assert.equal(
    (await call('DELETE', `/friends/requests/${toEve.body.id}`, { token: alice.accessToken }))
      .status,
    204,
  );

  const self = await call('POST', '/friends/requests', {
    token: alice.accessToken,
    body: { userId: alice.id },
  });
  assert.ok(self.status === 409 || self.status === 400);
  const again = await call('POST', '/friends/requests', {
    token: alice.accessToken,
    body: { userId: bob.id },
  });
  assert.equal(again.status, 409);
});

test('a request to someone who already asked you accepts theirs', async () => {
  const [a, b] = await Promise.all([register('mutual'), register('mutual')]);
  await call('POST', '/friends/requests', { token: a.accessToken, body: { userId: b.id } });
  const back = await call<{ status: string }>('POST', '/friends/requests', {
    token: b.accessToken,
    body: { userId: a.id },
  });
  assert.ok(back.status === 200 || back.status === 201);
  assert.equal(back.body.status, 'accepted');
  const friends = await call<{ items: { userId: string }[] }>('GET', '/friends', {
    token: b.accessToken,
  });
  assert.deepEqual(
    friends.body.items.map((f) => f.userId),
    [a.id],
  );
});

test('removing a friend is mutual, and blocking removes the friendship and stops requests', async () => {
  const [a, b, c] = await Promise.all([register('rm'), register('rm'), register('rm')]);
  await befriend(a, b);
  assert.equal((await call('DELETE', `/friends/${b.id}`, { token: a.accessToken })).status, 204);
  const bFriends = await call<{ items: unknown[] }>('GET', '/friends', { token: b.accessToken });
  assert.equal(bFriends.body.items.length, 0);

  await befriend(a, c);
  assert.equal((await call('POST', `/blocks/${c.id}`, { token: a.accessToken })).status, 201);
  assert.equal(
    (await call<{ items: unknown[] }>('GET', '/friends', { token: c.accessToken })).body.items
      .length,
    0,
  );
  const blocks = await call<{ items: { userId: string }[] }>('GET', '/blocks', {
    token: a.accessToken,
  });
  assert.deepEqual(
    blocks.body.items.map((x) => x.userId),
    [c.id],
  );
  const across = await call('POST', '/friends/requests', {
    token: c.accessToken,
    body: { userId: a.id },
  });
  assert.equal(across.status, 403);
  assert.equal(across.body['code'], 'blocked');
  assert.equal((await call('DELETE', `/blocks/${c.id}`, { token: a.accessToken })).status, 204);
  assert.equal(
    (await call('POST', '/friends/requests', { token: c.accessToken, body: { userId: a.id } }))
      .status,
    201,
  );
});
