import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { topics } from '@messenger/contracts';
import {
  assertAuthResult,
  assertProblem,
  auth,
  call,
  PASSWORD,
  register,
  sessionAccepts,
  uniqueEmail,
  uniqueNickname,
  urls,
} from '@messenger/testkit/auth/auth-api';
import { readEvents, type EventLog } from '@messenger/testkit/event-log';

let events: EventLog;
before(async () => {
  events = await readEvents(topics.user);
});
after(() => events.close());

const attempt = (body: unknown) => call('POST', auth('register'), { body });

test('register answers the user and tokens, and the profile is readable at once', async () => {
  const nickname = uniqueNickname('Ada');
  const { email, result } = await register({ nickname });
  assert.deepEqual(result.user, {
    id: result.user.id,
    email,
    nickname: nickname.toLowerCase(),
    emailVerified: false,
  });
  const profile = await call<{ userId: string; nickname: string }>(
    'GET',
    `${urls.profile}/api/v1/profiles/me`,
    { token: result.accessToken },
  );
  assert.equal(profile.status, 200);
  assert.equal(profile.body.userId, result.user.id);
  assert.equal(profile.body.nickname, nickname.toLowerCase());
  assert.equal(await sessionAccepts(result.accessToken), true);
  const created = await events.find(
    (event) => event.type === 'user.created' && event.data['userId'] === result.user.id,
    'user.created',
  );
  assert.deepEqual(created.data, {
    userId: result.user.id,
    email,
    nickname: nickname.toLowerCase(),
  });
  assert.equal(created.producer, 'auth');
});

test('emails are unique case-insensitively', async () => {
  const { email } = await register();
  const reply = await attempt({
    email: email.toUpperCase(),
    nickname: uniqueNickname(),
    password: PASSWORD,
  });
  assertProblem(reply, 409, 'email_taken');
});

test('nicknames are unique case-insensitively, and a refused registration leaves nothing behind', async () => {
  const { nickname } = await register();
  const email = uniqueEmail();
  const reply = await attempt({ email, nickname: nickname.toUpperCase(), password: PASSWORD });
  assertProblem(reply, 409, 'nickname_taken');
  await register({ email });
});

test('concurrent duplicate registrations: exactly one 201 and one 409', async () => {
  const same = { email: uniqueEmail(), nickname: uniqueNickname(), password: PASSWORD };
  const both = await Promise.all([attempt(same), attempt(same)]);
  assert.deepEqual(both.map((reply) => reply.status).sort(), [201, 409]);

  const nickname = uniqueNickname();
  const rivals = await Promise.all([
    attempt({ email: uniqueEmail(), nickname, password: PASSWORD }),
    attempt({ email: uniqueEmail(), nickname, password: PASSWORD }),
  ]);
  assert.deepEqual(rivals.map((reply) => reply.status).sort(), [201, 409]);
  const loser = rivals.find((reply) => reply.status === 409);
  assert.ok(loser);
  assertProblem(loser, 409, 'nickname_taken');
  const winner = rivals.find((reply) => reply.status === 201);
  assertAuthResult(winner?.body);
});

test('weak passwords are refused with validation_failed on the password field', async () => {
  const email = uniqueEmail('weak');
  const nickname = uniqueNickname();
  for (const password of ['password1', 'Iloveyou2', 'short', 'x'.repeat(129), email, nickname]) {
    const reply = await attempt({ email, nickname, password });
    assertProblem(reply, 400, 'validation_failed');
    const errors = (reply.body as { errors: { path: string }[] }).errors;
    assert.deepEqual(
      errors.map((error) => error.path),
      ['password'],
      password,
    );
  }
  const emoji = await attempt({ email, nickname, password: '🔑'.repeat(8) });
  assert.equal(emoji.status, 201, 'eight code points are enough, whatever their UTF-16 length');
});

test('bad input gets 4xx problem+json, never 5xx', async () => {
  const good = { email: uniqueEmail(), nickname: uniqueNickname(), password: PASSWORD };
  const cases: [unknown, number, string][] = [
    [{}, 400, 'validation_failed'],
    [{ ...good, email: 'not-an-email' }, 400, 'validation_failed'],
    [{ ...good, email: "' OR 1=1 --" }, 400, 'validation_failed'],
    [{ ...good, email: { $ne: null } }, 400, 'validation_failed'],
    [{ ...good, email: `${'a'.repeat(250)}@example.com` }, 400, 'validation_failed'],
    [{ ...good, nickname: "robert'); DROP TABLE users;--" }, 400, 'validation_failed'],
    [{ ...good, nickname: 'ab' }, 400, 'validation_failed'],
    [{ ...good, nickname: 'a'.repeat(33) }, 400, 'validation_failed'],
    [{ ...good, nickname: 'ünïcode' }, 400, 'validation_failed'],
    [{ ...good, password: 12345678 }, 400, 'validation_failed'],
    [{ ...good, password: null }, 400, 'validation_failed'],
    [[good], 400, 'validation_failed'],
    ['"just a string"', 400, 'malformed_json'],
    ['{"email": ', 400, 'malformed_json'],
    [{ ...good, padding: 'x'.repeat(70_000) }, 413, 'payload_too_large'],
  ];
  for (const [body, status, code] of cases) {
    const reply = await attempt(body);
    assert.ok(reply.status < 500, `${JSON.stringify(body).slice(0, 80)} gave ${reply.status}`);
    assertProblem(reply, status, code);
  }
  const form = await call('POST', auth('register'), {
    body: 'email=a@b.c',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  assertProblem(form, 415, 'unsupported_media_type');
});
