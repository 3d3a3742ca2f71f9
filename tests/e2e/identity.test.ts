import { test } from 'node:test';
import assert from 'node:assert/strict';
import { uniqueNickname } from '@messenger/testkit/users';
import { call, register } from '@messenger/testkit/gateway/app-client';

test('register returns tokens and the profile is readable at once', async () => {
  const nickname = uniqueNickname('reg');
  const response = await call<{
    user: Record<string, unknown>;
    accessToken: string;
    tokenType: string;
    expiresIn: number;
  }>('POST', '/auth/register', {
    body: { email: `${nickname}@Example.com`, password: 'a long enough passphrase', nickname },
  });
  assert.equal(response.status, 201);
  assert.equal(response.body.tokenType, 'Bearer');
  assert.ok(response.body.expiresIn > 0);
  assert.equal(response.body.user['nickname'], nickname);
  assert.equal(response.body.user['emailVerified'], false);
  const me = await call<{ userId: string; nickname: string }>('GET', '/profiles/me', {
    token: response.body.accessToken,
  });
  assert.equal(me.status, 200);
  assert.equal(me.body.userId, response.body.user['id']);
  assert.equal(me.body.nickname, nickname);
});

test('duplicate email or nickname is a 409 with its code, case-insensitively', async () => {
  const user = await register('dup');
  const sameEmail = await call('POST', '/auth/register', {
    body: {
      email: user.email.toUpperCase(),
      password: 'another long passphrase',
      nickname: uniqueNickname('other'),
    },
  });
  assert.equal(sameEmail.status, 409);
  assert.equal(sameEmail.body['code'], 'email_taken');
  const sameNickname = await call('POST', '/auth/register', {
    body: {
      email: `${uniqueNickname('x')}@example.com`,
      password: 'another long passphrase',
      nickname: user.nickname,
    },
  });
  assert.equal(sameNickname.status, 409);
  assert.equal(sameNickname.body['code'], 'nickname_taken');
});

test('login works with the right password and says invalid_credentials otherwise', async () => {
  const user = await register('login');
  const ok = await call<{ accessToken: string }>('POST', '/auth/login', {
    body: { email: user.email, password: user.password },
  });
  assert.equal(ok.status, 200);
  assert.ok(ok.body.accessToken);
  const wrong = await call('POST', '/auth/login', {
    body: { email: user.email, password: 'not the password' },
  });
  const unknown = await call('POST', '/auth/login', {
    body: { email: `${uniqueNickname('ghost')}@example.com`, password: 'not the password' },
  });
  assert.equal(wrong.status, 401);
  assert.equal(wrong.body['code'], 'invalid_credentials');
  assert.deepEqual(
    { status: unknown.status, code: unknown.body['code'], detail: unknown.body['detail'] },
    { status: wrong.status, code: wrong.body['code'], detail: wrong.body['detail'] },
  );
});

test('a refresh token rotates, and reusing a spent one revokes the family', async () => {
  const user = await register('refresh');
  const first = await call<{ refreshToken: string; accessToken: string }>('POST', '/auth/refresh', {
    body: { refreshToken: user.refreshToken },
  });
  assert.equal(first.status, 200);
  assert.notEqual(first.body.refreshToken, user.refreshToken);
  const reused = await call('POST', '/auth/refresh', { body: { refreshToken: user.refreshToken } });
  assert.equal(reused.status, 401);
  assert.equal(reused.body['code'], 'token_reused');
  const afterReuse = await call('POST', '/auth/refresh', {
    body: { refreshToken: first.body.refreshToken },
  });
  assert.equal(afterReuse.status, 401, 'the whole family is revoked');
  const me = await call('GET', '/profiles/me', { token: first.body.accessToken });
  assert.equal(me.status, 401, 'access tokens of the revoked family are refused at once');
});

test('logout refuses the old access token at once', async () => {
  const user = await register('logout');
  assert.equal((await call('GET', '/profiles/me', { token: user.accessToken })).status, 200);
  const logout = await call('POST', '/auth/logout', {
    token: user.accessToken,
    body: { refreshToken: user.refreshToken },
  });
  assert.equal(logout.status, 204);
  const after = await call('GET', '/profiles/me', { token: user.accessToken });
  assert.equal(after.status, 401);
  assert.equal(
    (await call('POST', '/auth/refresh', { body: { refreshToken: user.refreshToken } })).status,
    401,
  );
});

test('sessions are listed with the current one marked, and others can be revoked', async () => {
  const user = await register('sessions');
  const second = await call<{ accessToken: string }>('POST', '/auth/login', {
    body: { email: user.email, password: user.password },
    headers: { 'user-agent': 'e2e-second-device' },
  });
  const list = await call<{ items: { id: string; current: boolean; userAgent: string | null }[] }>(
    'GET',
    '/sessions',
    { token: user.accessToken },
  );
  assert.equal(list.status, 200);
  assert.equal(list.body.items.length, 2);
  assert.equal(list.body.items.filter((s) => s.current).length, 1);
  const other = list.body.items.find((s) => !s.current);
  assert.ok(other);
  assert.equal(
    (await call('DELETE', `/sessions/${other.id}`, { token: user.accessToken })).status,
    204,
  );
  assert.equal((await call('GET', '/profiles/me', { token: second.body.accessToken })).status, 401);
  assert.equal((await call('GET', '/profiles/me', { token: user.accessToken })).status, 200);
  const stranger = await register('stranger');
  const foreign = await call(
    'DELETE',
    `/sessions/${list.body.items.find((s) => s.current)?.id ?? ''}`,
    { token: stranger.accessToken },
  );
  assert.equal(foreign.status, 404, "nobody revokes another user's session");
});

test('revoking all other sessions keeps the current one', async () => {
  const user = await register('allsessions');
  const other = await call<{ accessToken: string }>('POST', '/auth/login', {
    body: { email: user.email, password: user.password },
  });
  assert.equal((await call('DELETE', '/sessions', { token: user.accessToken })).status, 204);
  assert.equal((await call('GET', '/profiles/me', { token: other.body.accessToken })).status, 401);
  assert.equal((await call('GET', '/profiles/me', { token: user.accessToken })).status, 200);
});
