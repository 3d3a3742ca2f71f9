import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { topics, type Profile } from '@messenger/contracts';
import { eventually } from '@messenger/testkit/eventually';
import { call } from '@messenger/testkit/http';
import { newUser, uniqueNickname, type TestUser } from '@messenger/testkit/users';
import { profileUrl, sessionUrl } from '@messenger/testkit/service-urls';
import { watchTopic } from '@messenger/testkit/kafka';

const api = `${profileUrl}/api/v1/profiles`;
let owner: TestUser;
let viewer: TestUser;

before(async () => {
  [owner, viewer] = await Promise.all([newUser('owner'), newUser('viewer')]);
});

test('profiles are read only with a valid access token', async () => {
  const paths = ['/me', `/${owner.id}`, `/by-nickname/${owner.nickname}`, '?search=ab'];
  for (const path of paths) {
    for (const token of [undefined, 'not-a-jwt', `${owner.token}x`]) {
      const answer = await call('GET', `${api}${path}`, token ? { token } : {});
      assert.equal(answer.status, 401, `${path} with ${String(token).slice(0, 12)}`);
      assert.equal(answer.body['code'], 'unauthorized');
    }
  }
  const patch = await call('PATCH', `${api}/me`, { body: { bio: 'x' } });
  assert.equal(patch.status, 401);
});

test('a revoked session’s token is refused at once', async () => {
  const user = await newUser('revoked');
  assert.equal((await call('GET', `${api}/me`, { token: user.token })).status, 200);
  const revoked = await call('DELETE', `${sessionUrl}/api/v1/sessions/${user.sessionId}`, {
    token: user.token,
  });
  assert.equal(revoked.status, 204);
  assert.equal((await call('GET', `${api}/me`, { token: user.token })).status, 401);
});

test('a profile is read by id, by nickname in any case, and as /me', async () => {
  const me = await call<Profile>('GET', `${api}/me`, { token: owner.token });
  assert.equal(me.status, 200);
  assert.deepEqual(Object.keys(me.body).sort(), [
    'avatarUrl',
    'bio',
    'createdAt',
    'displayName',
    'nickname',
    'updatedAt',
    'userId',
  ]);
  assert.equal(me.body.userId, owner.id);
  const byId = await call<Profile>('GET', `${api}/${owner.id.toUpperCase()}`, {
    token: viewer.token,
  });
  assert.deepEqual(byId.body, me.body);
  const byNickname = await call<Profile>(
    'GET',
    `${api}/by-nickname/${owner.nickname.toUpperCase()}`,
    { token: viewer.token },
  );
  assert.deepEqual(byNickname.body, me.body);
  const unknown = await call('GET', `${api}/${randomUUID()}`, { token: viewer.token });
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body['code'], 'not_found');
});

test('an edit is returned, emitted as profile.updated, and readable at once by everyone', async () => {
  const user = await newUser('edit');
  const watcher = await watchTopic(topics.profile);
  try {
    const edited = await call<Profile>('PATCH', `${api}/me`, {
      token: user.token,
      body: {
        displayName: '  Ada Lovelace ',
        bio: 'first programmer\nof the engine',
        avatarUrl: 'https://example.com/ada.png',
      },
    });
    assert.equal(edited.status, 200);
    assert.equal(edited.body.displayName, 'Ada Lovelace', 'trimmed');
    const seen = await call<Profile>('GET', `${api}/${user.id}`, { token: viewer.token });
    assert.deepEqual(seen.body, edited.body);

    const event = await eventually(
      () =>
        watcher.events.find((e) => e.type === 'profile.updated' && e.data['userId'] === user.id),
      15_000,
      'profile.updated',
    );
    assert.equal(event.producer, 'profile');
    assert.equal(event.key, user.id);
    assert.equal(event.data['displayName'], 'Ada Lovelace');
    assert.deepEqual(event.data['changed'], ['displayName', 'bio', 'avatarUrl']);

    const cleared = await call<Profile>('PATCH', `${api}/me`, {
      token: user.token,
      body: { bio: null, avatarUrl: null },
    });
    assert.equal(cleared.body.bio, null);
    assert.equal(cleared.body.avatarUrl, null);
    assert.equal(cleared.body.displayName, 'Ada Lovelace', 'untouched fields stay');
  } finally {
    await watcher.stop();
  }
});

test('a read after an update never sees the old value, even while others read concurrently', async () => {
  const user = await newUser('cache');
  let reading = true;
  const readers = Array.from({ length: 3 }, async () => {
    while (reading) await call('GET', `${api}/${user.id}`, { token: viewer.token });
  });
  try {
    for (let round = 0; round < 30; round++) {
      const bio = `round ${round}`;
      const patched = await call<Profile>('PATCH', `${api}/me`, {
        token: user.token,
        body: { bio },
      });
      assert.equal(patched.status, 200);
      const [byId, me, batch] = await Promise.all([
        call<Profile>('GET', `${api}/${user.id}`, { token: viewer.token }),
        call<Profile>('GET', `${api}/me`, { token: user.token }),
        call<{ items: Profile[] }>('POST', `${profileUrl}/internal/profiles/batch`, {
          body: { userIds: [user.id] },
        }),
      ]);
      assert.equal(byId.body.bio, bio, `by id, round ${round}`);
      assert.equal(me.body.bio, bio, `me, round ${round}`);
      assert.equal(batch.body.items[0]?.bio, bio, `batch, round ${round}`);
    }
  } finally {
    reading = false;
    await Promise.all(readers);
  }
});

test('the nickname can change to a free one (in any case) and not to a taken one', async () => {
  const user = await newUser('rename');
  const taken = await call('PATCH', `${api}/me`, {
    token: user.token,
    body: { nickname: viewer.nickname.toUpperCase() },
  });
  assert.equal(taken.status, 409);
  assert.equal(taken.body['code'], 'nickname_taken');

  const fresh = uniqueNickname('New');
  const renamed = await call<Profile>('PATCH', `${api}/me`, {
    token: user.token,
    body: { nickname: fresh },
  });
  assert.equal(renamed.status, 200);
  assert.equal(renamed.body.nickname, fresh.toLowerCase());
  const found = await call<Profile>('GET', `${api}/by-nickname/${fresh}`, { token: viewer.token });
  assert.equal(found.body.userId, user.id);
  const old = await call('GET', `${api}/by-nickname/${user.nickname}`, { token: viewer.token });
  assert.equal(old.status, 404, 'the old nickname is free');
});

test('bad edits are 400 problems and change nothing', async () => {
  const before = await call<Profile>('GET', `${api}/me`, { token: owner.token });
  const bodies: unknown[] = [
    { avatarUrl: 'http://example.com/a.png' },
    { avatarUrl: 'javascript:alert(1)' },
    { avatarUrl: `https://example.com/${'a'.repeat(2100)}` },
    { bio: 'b'.repeat(501) },
    { displayName: 'd'.repeat(65) },
    { displayName: '   ' },
    { displayName: 'bell\u0007' },
    { nickname: 'no' },
    { nickname: 'white space' },
    { nickname: 'é_accented' },
    { nickname: null },
    { bio: 5 },
    { displayName: ['a'] },
    { email: 'x@example.com' },
    [],
  ];
  for (const body of bodies) {
    const answer = await call('PATCH', `${api}/me`, { token: owner.token, body });
    assert.equal(answer.status, 400, JSON.stringify(body).slice(0, 60));
    assert.match(answer.contentType, /^application\/problem\+json/);
    assert.equal(answer.body['code'], 'validation_failed');
  }
  const malformed = await call('PATCH', `${api}/me`, { token: owner.token, rawBody: '{"bio":' });
  assert.equal(malformed.status, 400);
  assert.equal(malformed.body['code'], 'malformed_json');
  const after = await call<Profile>('GET', `${api}/me`, { token: owner.token });
  assert.deepEqual(after.body, before.body);
});

test('bad ids and nicknames in paths are 400 problems', async () => {
  for (const path of ['/not-a-uuid', '/by-nickname/a', `/by-nickname/${'n'.repeat(40)}`]) {
    const answer = await call('GET', `${api}${path}`, { token: viewer.token });
    assert.equal(answer.status, 400, path);
    assert.equal(answer.body['code'], 'validation_failed');
  }
});
