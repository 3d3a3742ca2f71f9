import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  assertAuthResult,
  assertProblem,
  auth,
  call,
  clientAddress,
  login,
  register,
  sessionAccepts,
  uniqueEmail,
  urls,
  type AuthResult,
} from '@messenger/testkit/auth/auth-api';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

test('login answers the register shape and opens a new session', async () => {
  const { email, password, result: registered } = await register();
  const reply = await login(email.toUpperCase(), password);
  assert.equal(reply.status, 200);
  assertAuthResult(reply.body);
  assert.deepEqual(reply.body.user, registered.user);
  const sessions = await call<{ items: { current: boolean }[] }>(
    'GET',
    `${urls.session}/api/v1/sessions`,
    { token: reply.body.accessToken },
  );
  assert.equal(sessions.body.items.length, 2);
  assert.equal(sessions.body.items.filter((item) => item.current).length, 1);
});

test('a wrong password and an unknown email get the same answer in similar time', async () => {
  const { email } = await register();
  const unknown = uniqueEmail('nobody');
  const wrong = await login(email, 'not the password');
  const missing = await login(unknown, 'not the password');
  assertProblem(wrong, 401, 'invalid_credentials');
  assert.deepEqual(missing.status, wrong.status);
  assert.deepEqual(missing.body, wrong.body);
  const timings = { wrong: [] as number[], missing: [] as number[] };
  for (let round = 0; round < 7; round += 1) {
    for (const [kind, address] of [
      ['wrong', email],
      ['missing', unknown],
    ] as const) {
      const started = performance.now();
      await login(address, 'not the password');
      timings[kind].push(performance.now() - started);
    }
  }
  const ratio = median(timings.missing) / median(timings.wrong);
  assert.ok(ratio > 0.5 && ratio < 2, `unknown/wrong median time ratio ${ratio.toFixed(2)}`);
});

test('refresh rotates; a spent refresh token is token_reused and ends the family at once', async () => {
  const { result } = await register();
  const refresh = (refreshToken: string) =>
    call<AuthResult>('POST', auth('refresh'), { body: { refreshToken } });
  const rotated = await refresh(result.refreshToken);
  assert.equal(rotated.status, 200);
  assertAuthResult(rotated.body);
  assert.deepEqual(rotated.body.user, result.user);
  assert.notEqual(rotated.body.refreshToken, result.refreshToken);
  assert.equal(await sessionAccepts(rotated.body.accessToken), true);

  assertProblem(await refresh(result.refreshToken), 401, 'token_reused');
  assertProblem(await refresh(rotated.body.refreshToken), 401, 'unauthorized');
  assert.equal(await sessionAccepts(rotated.body.accessToken), false);
  assert.equal(await sessionAccepts(result.accessToken), false);
});

test('logout refuses the access token at once, in this and other services', async () => {
  const { email, password, result } = await register();
  const other = await login(email, password);
  assert.equal(other.status, 200);
  const logout = await call('POST', auth('logout'), { token: result.accessToken });
  assert.equal(logout.status, 204);
  assert.equal(await sessionAccepts(result.accessToken), false);
  const resend = await call('POST', auth('verify-email/resend'), { token: result.accessToken });
  assertProblem(resend, 401, 'unauthorized');
  const refresh = await call('POST', auth('refresh'), {
    body: { refreshToken: result.refreshToken },
  });
  assertProblem(refresh, 401, 'unauthorized');
  assert.equal(await sessionAccepts(other.body.accessToken), true, 'only the current session ends');
});

test('logout with a refresh token also ends that session when it is yours', async () => {
  const { email, password, result } = await register();
  const second = (await login(email, password)).body;
  const stranger = (await register()).result;
  const logout = await call('POST', auth('logout'), {
    token: result.accessToken,
    body: { refreshToken: second.refreshToken },
  });
  assert.equal(logout.status, 204);
  assert.equal(await sessionAccepts(second.accessToken), false);
  const ignored = await call('POST', auth('logout'), {
    token: (await login(email, password)).body.accessToken,
    body: { refreshToken: stranger.refreshToken },
  });
  assert.equal(ignored.status, 204);
  assert.equal(await sessionAccepts(stranger.accessToken), true);
});

test('bad input to login, refresh and logout gets 4xx problem+json, never 5xx', async () => {
  const { result } = await register();
  const ip = { 'x-forwarded-for': clientAddress() };
  const cases: [string, unknown, Record<string, string>, number, string][] = [
    ['login', {}, ip, 400, 'validation_failed'],
    ['login', { email: 'a@b.co' }, ip, 400, 'validation_failed'],
    ['login', { email: 42, password: 'x' }, ip, 400, 'validation_failed'],
    ['login', { email: 'a@b.co', password: 'x'.repeat(129) }, ip, 400, 'validation_failed'],
    ['login', { email: { $gt: '' }, password: { $gt: '' } }, ip, 400, 'validation_failed'],
    ['login', { email: "' OR '1'='1", password: "' OR '1'='1" }, ip, 401, 'invalid_credentials'],
    ['login', '{"email":"a@b.co",', ip, 400, 'malformed_json'],
    ['refresh', {}, {}, 400, 'validation_failed'],
    ['refresh', { refreshToken: 7 }, {}, 400, 'validation_failed'],
    ['refresh', { refreshToken: 'x'.repeat(300) }, {}, 400, 'validation_failed'],
    ['refresh', { refreshToken: "'; DELETE FROM sessions; --" }, {}, 401, 'unauthorized'],
    ['logout', {}, {}, 401, 'unauthorized'],
    [
      'logout',
      { refreshToken: 5 },
      { authorization: `Bearer ${result.accessToken}` },
      400,
      'validation_failed',
    ],
    ['logout', {}, { authorization: 'Bearer garbage' }, 401, 'unauthorized'],
  ];
  for (const [route, body, headers, status, code] of cases) {
    const reply = await call('POST', auth(route), { body, headers });
    assert.ok(
      reply.status < 500,
      `${route} ${JSON.stringify(body).slice(0, 60)} gave ${reply.status}`,
    );
    assertProblem(reply, status, code);
  }
});
