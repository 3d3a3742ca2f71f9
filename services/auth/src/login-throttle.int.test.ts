import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startAuthInstance, type AuthInstance } from '@messenger/testkit/auth/auth-instance';
import { freePort } from '@messenger/testkit/free-port';
import {
  PASSWORD,
  uniqueEmail,
  uniqueNickname,
  type AuthResult,
} from '@messenger/testkit/auth/auth-api';
import {
  startGatewayInstance,
  type GatewayInstance,
} from '@messenger/testkit/gateway/gateway-instance';
import {
  callFrom,
  loopbackAddress,
  type AddressReply,
} from '@messenger/testkit/gateway/from-address';

// Small budgets and short windows, so a test sees every limit and waits out the short ones.
const PAIR_FAILURES = 3;
const PAIR_WINDOW_SECONDS = 4;
const ADDRESS_FAILURES = 10;
const ACCOUNT_FAILURES = 6;
const ACCOUNT_SLOW_SECONDS = 3;
const RACE_ROUNDS = 10;

let auth: AuthInstance | undefined;
let gateway: GatewayInstance | undefined;
/** The test gateway's API base. */
let api = '';

before(async () => {
  // Both start at once (each compiles its sources): the gateway needs only auth's address.
  const authPort = await freePort();
  const [authStart, gatewayStart] = await Promise.allSettled([
    startAuthInstance(
      () => ({
        LOGIN_PAIR_MAX_FAILURES: String(PAIR_FAILURES),
        LOGIN_PAIR_WINDOW_SECONDS: String(PAIR_WINDOW_SECONDS),
        LOGIN_ADDRESS_MAX_FAILURES: String(ADDRESS_FAILURES),
        LOGIN_ACCOUNT_MAX_FAILURES: String(ACCOUNT_FAILURES),
        LOGIN_ACCOUNT_SLOW_SECONDS: String(ACCOUNT_SLOW_SECONDS),
      }),
      authPort,
    ),
    startGatewayInstance({ AUTH_URL: `http://127.0.0.1:${authPort}` }),
  ]);
  // Kept even when the other failed, so after() stops whatever did start.
  if (authStart.status === 'fulfilled') auth = authStart.value;
  if (gatewayStart.status === 'fulfilled') gateway = gatewayStart.value;
  for (const start of [authStart, gatewayStart])
    if (start.status === 'rejected') throw start.reason;
  api = `${gateway?.url ?? ''}/api/v1`;
});

after(async () => {
  await Promise.all([gateway?.stop(), auth?.stop()]);
});

interface Owner {
  email: string;
  password: string;
}

/** Registers through the gateway from an address of its own. */
async function newOwner(): Promise<Owner> {
  const email = uniqueEmail('throttle');
  const reply = await callFrom(loopbackAddress(), 'POST', `${api}/auth/register`, {
    body: { email, nickname: uniqueNickname('thr'), password: PASSWORD },
  });
  assert.equal(reply.status, 201, JSON.stringify(reply.body));
  return { email, password: PASSWORD };
}

function login(from: string, email: string, password: string, headers?: Record<string, string>) {
  return callFrom<AuthResult>(from, 'POST', `${api}/auth/login`, {
    body: { email, password },
    ...(headers ? { headers } : {}),
  });
}

function assertCode(reply: AddressReply<unknown>, status: number, code?: string): void {
  assert.equal(reply.status, status, JSON.stringify(reply.body));
  if (code) {
    assert.match(String(reply.headers['content-type']), /^application\/problem\+json/);
    assert.equal((reply.body as { code?: unknown }).code, code);
  }
}

/** A 429 `rate_limited` whose Retry-After is between 1 and `atMost` seconds; answers it. */
function assertThrottled(reply: AddressReply<unknown>, atMost: number): number {
  assertCode(reply, 429, 'rate_limited');
  const retryAfter = Number(reply.headers['retry-after']);
  assert.ok(retryAfter >= 1 && retryAfter <= atMost, `Retry-After: ${retryAfter}`);
  return retryAfter;
}

async function failFrom(from: string, email: string, count: number): Promise<void> {
  for (let guess = 0; guess < count; guess += 1)
    assertCode(await login(from, email, `wrong guess ${guess}`), 401, 'invalid_credentials');
}

test('an attacker rotating passwords from one address is throttled; the owner elsewhere logs in', async () => {
  const owner = await newOwner();
  const attacker = loopbackAddress();
  await failFrom(attacker, owner.email, PAIR_FAILURES);
  assertThrottled(await login(attacker, owner.email, 'one more guess'), PAIR_WINDOW_SECONDS);
  assertThrottled(await login(attacker, owner.email, owner.password), PAIR_WINDOW_SECONDS);

  assertCode(await login(loopbackAddress(), owner.email, owner.password), 200);
});

test('the owner behind the attacker’s address logs in again after at most the short window', async () => {
  const owner = await newOwner();
  const shared = loopbackAddress();
  assertCode(await login(shared, owner.email, owner.password), 200);

  await failFrom(shared, owner.email, PAIR_FAILURES);
  const throttledAt = Date.now();
  const retryAfter = assertThrottled(
    await login(shared, owner.email, owner.password),
    PAIR_WINDOW_SECONDS,
  );
  await sleep(retryAfter * 1000);
  assertCode(await login(shared, owner.email, owner.password), 200);
  assert.ok(Date.now() - throttledAt <= (PAIR_WINDOW_SECONDS + 1) * 1000);
});

test('X-Forwarded-For from a client changes neither its budget nor its recorded address', async () => {
  const owner = await newOwner();
  const attacker = loopbackAddress();
  for (let guess = 0; guess < PAIR_FAILURES; guess += 1) {
    const forged = { 'x-forwarded-for': loopbackAddress() };
    assertCode(await login(attacker, owner.email, `guess ${guess}`, forged), 401);
  }
  const forged = { 'x-forwarded-for': loopbackAddress() };
  assertThrottled(await login(attacker, owner.email, 'guess', forged), PAIR_WINDOW_SECONDS);

  const device = loopbackAddress();
  const loggedIn = await login(device, owner.email, owner.password, {
    'x-forwarded-for': '203.0.113.9',
  });
  assertCode(loggedIn, 200);
  const sessions = await callFrom<{ items: { ip: string | null; current: boolean }[] }>(
    device,
    'GET',
    `${api}/sessions`,
    { token: loggedIn.body.accessToken },
  );
  assert.equal(sessions.body.items.find((item) => item.current)?.ip, device);
});

test('credential stuffing from one address stops at its budget; its known-good pairs still log in', async () => {
  const office = loopbackAddress();
  const colleague = await newOwner();
  assertCode(await login(office, colleague.email, colleague.password), 200);
  const newcomer = await newOwner();

  for (let account = 0; account < ADDRESS_FAILURES; account += 1)
    assertCode(await login(office, uniqueEmail('stuffed'), 'leaked password'), 401);
  assertThrottled(await login(office, uniqueEmail('stuffed'), 'leaked password'), 3600);
  assertThrottled(await login(office, newcomer.email, newcomer.password), 3600);

  assertCode(await login(office, colleague.email, colleague.password), 200);
  assertCode(await login(loopbackAddress(), newcomer.email, newcomer.password), 200);
});

test('guesses at one account from many addresses slow it down; its owner is never locked out', async () => {
  const email = uniqueEmail('targeted');
  const home = loopbackAddress();
  const registered = await callFrom(home, 'POST', `${api}/auth/register`, {
    body: { email, nickname: uniqueNickname('tgt'), password: PASSWORD },
  });
  assertCode(registered, 201);

  for (let guess = 0; guess < ACCOUNT_FAILURES; guess += 1)
    assertCode(await login(loopbackAddress(), email, `botnet guess ${guess}`), 401);
  // Past the soft limit the account takes one attempt per slow window, from anywhere.
  assertCode(await login(loopbackAddress(), email, 'botnet guess'), 401);
  const retryAfter = assertThrottled(
    await login(loopbackAddress(), email, 'botnet guess'),
    ACCOUNT_SLOW_SECONDS,
  );

  assertCode(await login(home, email, PASSWORD), 200);
  await sleep(retryAfter * 1000);
  assertCode(await login(loopbackAddress(), email, PASSWORD), 200);
});

test(`concurrent guesses from one address get exactly ${PAIR_FAILURES} password checks (${RACE_ROUNDS} rounds)`, async () => {
  const attempts = PAIR_FAILURES * 4;
  for (let round = 0; round < RACE_ROUNDS; round += 1) {
    // An unknown account costs the same password check and budget as a registered one.
    const email = uniqueEmail('raced');
    const attacker = loopbackAddress();
    const replies = await Promise.all(
      Array.from({ length: attempts }, (_, guess) =>
        login(attacker, email, `concurrent guess ${guess}`),
      ),
    );
    const statuses = replies.map((reply) => reply.status);
    assert.equal(
      statuses.filter((status) => status === 401).length,
      PAIR_FAILURES,
      statuses.join(),
    );
    assert.equal(statuses.filter((status) => status === 429).length, attempts - PAIR_FAILURES);
  }
});
