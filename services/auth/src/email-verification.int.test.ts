import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { topics } from '@messenger/contracts';
import { assertProblem, auth, call, login, register } from '@messenger/testkit/auth/auth-api';
import { mailsTo, verificationToken } from '@messenger/testkit/auth/mailbox';
import { readEvents, type EventLog } from '@messenger/testkit/event-log';

const RESENDS_PER_HOUR = Number(process.env['EMAIL_RESEND_MAX_PER_HOUR'] ?? 5);

let events: EventLog;
before(async () => {
  events = await readEvents(topics.user);
});
after(() => events.close());

const verify = (token: unknown) => call('POST', auth('verify-email'), { body: { token } });
const resend = (token: string) => call('POST', auth('verify-email/resend'), { token });

test('the mailed link verifies the email once and emits user.email_verified', async () => {
  const { email, password, result } = await register();
  const token = await verificationToken(email);
  assert.equal((await verify(token)).status, 204);
  assertProblem(await verify(token), 400, 'invalid_token');
  const relogin = await login(email, password);
  assert.equal(relogin.body.user.emailVerified, true);
  const event = await events.find(
    (candidate) =>
      candidate.type === 'user.email_verified' && candidate.data['userId'] === result.user.id,
    'user.email_verified',
  );
  assert.deepEqual(event.data, { userId: result.user.id });
  assertProblem(await resend(result.accessToken), 409, 'email_already_verified');
});

test('resend mails a new link and the earlier one stops working', async () => {
  const { email, result } = await register();
  const first = await verificationToken(email);
  assert.equal((await resend(result.accessToken)).status, 202);
  const second = await verificationToken(email, 2);
  assert.notEqual(second, first);
  assertProblem(await verify(first), 400, 'invalid_token');
  assert.equal((await verify(second)).status, 204);
});

test(`resend is limited to ${RESENDS_PER_HOUR} an hour per user`, async () => {
  const { email, result } = await register();
  for (let sent = 0; sent < RESENDS_PER_HOUR; sent += 1)
    assert.equal((await resend(result.accessToken)).status, 202);
  const limited = await resend(result.accessToken);
  assertProblem(limited, 429, 'rate_limited');
  assert.ok(Number(limited.headers.get('retry-after')) >= 1);
  await verificationToken(email, RESENDS_PER_HOUR + 1);
  assert.equal((await mailsTo(email)).length, RESENDS_PER_HOUR + 1);
});

test('bad verification input gets 4xx problem+json, never 5xx', async () => {
  const cases: [unknown, number, string][] = [
    [undefined, 400, 'validation_failed'],
    [123, 400, 'validation_failed'],
    ['', 400, 'validation_failed'],
    ['x'.repeat(300), 400, 'validation_failed'],
    [{ $ne: null }, 400, 'validation_failed'],
    ["' OR '1'='1", 400, 'invalid_token'],
    ['A'.repeat(43), 400, 'invalid_token'],
  ];
  for (const [token, status, code] of cases) assertProblem(await verify(token), status, code);
  assertProblem(await call('POST', auth('verify-email'), { body: '{' }), 400, 'malformed_json');
  assertProblem(await call('POST', auth('verify-email/resend')), 401, 'unauthorized');
});
