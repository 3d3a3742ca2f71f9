import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import pg from 'pg';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import {
  assertProblem,
  call,
  openSession,
  sessionDatabaseUrl,
  type Tokens,
} from '@messenger/testkit/session/session-api';
import { sessionUrl } from '@messenger/testkit/service-urls';

const db = new pg.Pool({ connectionString: sessionDatabaseUrl(), max: 2 });
after(() => db.end());

interface SessionItem {
  id: string;
  createdAt: string;
  lastUsedAt: string;
  userAgent: string | null;
  ip: string | null;
  current: boolean;
}

async function listSessions(
  token: string,
  query = '',
): Promise<{ items: SessionItem[]; nextCursor: string | null }> {
  const reply = await call('GET', `/api/v1/sessions${query}`, { token });
  assert.equal(reply.status, 200, JSON.stringify(reply.body));
  return reply.body as { items: SessionItem[]; nextCursor: string | null };
}

async function refresh(refreshToken: string) {
  return call('POST', '/internal/sessions/refresh', { body: { refreshToken } });
}

async function accepted(token: string): Promise<boolean> {
  const reply = await call('GET', '/api/v1/sessions', { token });
  if (reply.status === 401) return false;
  assert.equal(reply.status, 200);
  return true;
}

test('an access token is a 15-minute EdDSA JWT with kid, iss, aud, sub, sid, exp', async () => {
  const userId = randomUUID();
  const tokens = await openSession(userId);
  assert.equal(tokens.tokenType, 'Bearer');
  assert.equal(tokens.expiresIn, 900);
  assert.equal(tokens.userId, userId);
  const header = decodeProtectedHeader(tokens.accessToken);
  assert.equal(header.alg, 'EdDSA');
  assert.ok(header.kid);
  const jwks = createRemoteJWKSet(new URL('/.well-known/jwks.json', sessionUrl));
  const { payload } = await jwtVerify(tokens.accessToken, jwks, {
    issuer: 'messenger',
    audience: 'messenger-api',
  });
  assert.equal(payload.sub, userId);
  assert.equal(payload['sid'], tokens.sessionId);
  assert.equal((payload.exp ?? 0) - (payload.iat ?? 0), 900);
});

test('the JWKS serves public keys only', async () => {
  const reply = await call('GET', '/.well-known/jwks.json');
  const { keys } = reply.body as { keys: Record<string, unknown>[] };
  assert.ok(keys.length >= 1);
  for (const key of keys) {
    assert.equal(key['kty'], 'OKP');
    assert.equal(key['crv'], 'Ed25519');
    assert.equal(key['d'], undefined, 'a private key component is published');
  }
});

test('a refresh token has 256 random bits and is stored only as its SHA-256 hash', async () => {
  const tokens = await openSession();
  assert.match(tokens.refreshToken, /^[A-Za-z0-9_-]{43}$/);
  const hash = createHash('sha256').update(tokens.refreshToken).digest();
  const { rows } = await db.query<{ session_id: string }>(
    'SELECT session_id FROM refresh_tokens WHERE token_hash = $1',
    [hash],
  );
  assert.equal(rows[0]?.session_id, tokens.sessionId);
  const leaked = await db.query(
    `SELECT 1 FROM sessions WHERE id = $1 AND (user_agent = $2 OR ip = $2)`,
    [tokens.sessionId, tokens.refreshToken],
  );
  assert.equal(leaked.rowCount, 0);
});

test('refresh rotates the refresh token within the same session', async () => {
  const first = await openSession();
  const reply = await refresh(first.refreshToken);
  assert.equal(reply.status, 200);
  const second = reply.body as Tokens;
  assert.equal(second.sessionId, first.sessionId);
  assert.equal(second.userId, first.userId);
  assert.notEqual(second.refreshToken, first.refreshToken);
  assert.notEqual(second.accessToken, first.accessToken);
  assert.equal((await refresh(second.refreshToken)).status, 200);
});

test('a spent refresh token is token_reused and revokes the whole family at once', async () => {
  const first = await openSession();
  const second = (await refresh(first.refreshToken)).body as Tokens;
  assertProblem(await refresh(first.refreshToken), 401, 'token_reused');
  assertProblem(await refresh(second.refreshToken), 401, 'unauthorized');
  assert.equal(await accepted(first.accessToken), false);
  assert.equal(await accepted(second.accessToken), false);
});

test('two concurrent refreshes with one token: one rotates, the other is reuse', async () => {
  const tokens = await openSession();
  const replies = await Promise.all([refresh(tokens.refreshToken), refresh(tokens.refreshToken)]);
  const statuses = replies.map((reply) => reply.status).sort();
  assert.deepEqual(statuses, [200, 401]);
  const loser = replies.find((reply) => reply.status === 401);
  assert.ok(loser);
  assertProblem(loser, 401, 'token_reused');
  assert.equal(await accepted(tokens.accessToken), false);
});

test('an idle session and a session past its absolute lifetime cannot be refreshed', async () => {
  const idle = await openSession();
  const old = await openSession();
  await db.query(`UPDATE sessions SET last_used_at = now() - interval '15 days' WHERE id = $1`, [
    idle.sessionId,
  ]);
  await db.query(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE id = $1`, [
    old.sessionId,
  ]);
  assertProblem(await refresh(idle.refreshToken), 401, 'unauthorized');
  assertProblem(await refresh(old.refreshToken), 401, 'unauthorized');
  assert.deepEqual((await listSessions(idle.accessToken)).items, []);
});

test('unknown refresh tokens, including injection-shaped ones, are unauthorized', async () => {
  for (const refreshToken of ["' OR 1=1 --", 'x'.repeat(43), '{"$ne":null}']) {
    assertProblem(await refresh(refreshToken), 401, 'unauthorized');
  }
});

test('the list shows your live sessions with the current one marked', async () => {
  const userId = randomUUID();
  const a = await openSession(userId, { userAgent: 'phone/1.0', ip: '203.0.113.7' });
  const b = await openSession(userId, { userAgent: 'laptop/2.0', ip: '2001:db8::1' });
  await openSession();
  const { items, nextCursor } = await listSessions(b.accessToken);
  assert.equal(nextCursor, null);
  assert.deepEqual(items.map((item) => item.id).sort(), [a.sessionId, b.sessionId].sort());
  const current = items.filter((item) => item.current);
  assert.deepEqual(
    current.map((item) => item.id),
    [b.sessionId],
  );
  const phone = items.find((item) => item.id === a.sessionId);
  assert.ok(phone);
  assert.equal(phone.userAgent, 'phone/1.0');
  assert.equal(phone.ip, '203.0.113.7');
  assert.ok(!Number.isNaN(Date.parse(phone.createdAt)));
  assert.ok(!Number.isNaN(Date.parse(phone.lastUsedAt)));
});

test('the list pages with limit and cursor; a forged cursor is a 400', async () => {
  const userId = randomUUID();
  const opened = [await openSession(userId), await openSession(userId), await openSession(userId)];
  const token = opened[0]?.accessToken ?? '';
  const first = await listSessions(token, '?limit=2');
  assert.equal(first.items.length, 2);
  assert.ok(first.nextCursor);
  const second = await listSessions(token, `?limit=2&cursor=${first.nextCursor}`);
  assert.equal(second.items.length, 1);
  assert.equal(second.nextCursor, null);
  const seen = [...first.items, ...second.items].map((item) => item.id).sort();
  assert.deepEqual(seen, opened.map((tokens) => tokens.sessionId).sort());
  const forged = Buffer.from(
    JSON.stringify({ createdAt: 'not-a-time', id: randomUUID() }),
  ).toString('base64url');
  assertProblem(
    await call('GET', `/api/v1/sessions?cursor=${forged}`, { token }),
    400,
    'validation_failed',
  );
  assertProblem(
    await call('GET', '/api/v1/sessions?cursor=%%%', { token }),
    400,
    'validation_failed',
  );
});

test('revoking one of your sessions refuses its access token at once; others see 404', async () => {
  const userId = randomUUID();
  const mine = await openSession(userId);
  const other = await openSession(userId);
  const stranger = await openSession();
  const path = `/api/v1/sessions/${other.sessionId}`;
  assertProblem(await call('DELETE', path, { token: stranger.accessToken }), 404, 'not_found');
  assert.equal(await accepted(other.accessToken), true);
  assert.equal((await call('DELETE', path, { token: mine.accessToken })).status, 204);
  assert.equal(await accepted(other.accessToken), false);
  assertProblem(await refresh(other.refreshToken), 401, 'unauthorized');
  assert.deepEqual(
    (await listSessions(mine.accessToken)).items.map((item) => item.id),
    [mine.sessionId],
  );
  assertProblem(
    await call('DELETE', `/api/v1/sessions/${randomUUID()}`, { token: mine.accessToken }),
    404,
    'not_found',
  );
});

test('a session id in upper case names the same session', async () => {
  const userId = randomUUID();
  const mine = await openSession(userId);
  const other = await openSession(userId);
  const path = `/api/v1/sessions/${other.sessionId.toUpperCase()}`;
  assert.equal((await call('DELETE', path, { token: mine.accessToken })).status, 204);
  assert.equal(await accepted(other.accessToken), false);
  assert.equal(await accepted(mine.accessToken), true);
});

test('revoking all sessions keeps only the current one', async () => {
  const userId = randomUUID();
  const current = await openSession(userId);
  const others = [await openSession(userId), await openSession(userId)];
  const bystander = await openSession();
  assert.equal(
    (await call('DELETE', '/api/v1/sessions', { token: current.accessToken })).status,
    204,
  );
  for (const tokens of others) assert.equal(await accepted(tokens.accessToken), false);
  assert.equal(await accepted(current.accessToken), true);
  assert.equal(await accepted(bystander.accessToken), true);
  const { items } = await listSessions(current.accessToken);
  assert.deepEqual(
    items.map((item) => [item.id, item.current]),
    [[current.sessionId, true]],
  );
});

test('internal revocation touches only sessions of the named user', async () => {
  const userId = randomUUID();
  const a = await openSession(userId);
  const b = await openSession(userId);
  const stranger = await openSession();
  const revoke = (body: unknown) => call('POST', '/internal/sessions/revoke', { body });
  assert.equal((await revoke({ userId, sessionId: stranger.sessionId })).status, 204);
  assert.equal((await revoke({ userId, refreshToken: stranger.refreshToken })).status, 204);
  assert.equal(await accepted(stranger.accessToken), true);
  assert.equal((await revoke({ userId, refreshToken: a.refreshToken })).status, 204);
  assert.equal(await accepted(a.accessToken), false);
  assert.equal(await accepted(b.accessToken), true);
  assert.equal((await call('POST', `/internal/users/${userId}/sessions/revoke`)).status, 204);
  assert.equal(await accepted(b.accessToken), false);
  assert.equal(await accepted(stranger.accessToken), true);
});

test('bad input gets 4xx problem+json, never 5xx', async () => {
  const token = (await openSession()).accessToken;
  const cases: [
    string,
    string,
    { body?: unknown; token?: string; headers?: Record<string, string> },
    number,
    string,
  ][] = [
    ['POST', '/internal/sessions', { body: {} }, 400, 'validation_failed'],
    ['POST', '/internal/sessions', { body: { userId: 'not-a-uuid' } }, 400, 'validation_failed'],
    ['POST', '/internal/sessions', { body: { userId: 42 } }, 400, 'validation_failed'],
    [
      'POST',
      '/internal/sessions',
      { body: { userId: randomUUID(), ip: '1.2.3' } },
      400,
      'validation_failed',
    ],
    [
      'POST',
      '/internal/sessions',
      { body: { userId: randomUUID(), userAgent: 'x'.repeat(600) } },
      400,
      'validation_failed',
    ],
    ['POST', '/internal/sessions', { body: [] }, 400, 'validation_failed'],
    ['POST', '/internal/sessions', { body: '{"userId":' }, 400, 'malformed_json'],
    [
      'POST',
      '/internal/sessions',
      { body: 'userId=1', headers: { 'content-type': 'text/plain' } },
      415,
      'unsupported_media_type',
    ],
    [
      'POST',
      '/internal/sessions',
      { body: { userId: randomUUID(), userAgent: 'x'.repeat(70_000) } },
      413,
      'payload_too_large',
    ],
    ['POST', '/internal/sessions/refresh', { body: {} }, 400, 'validation_failed'],
    [
      'POST',
      '/internal/sessions/refresh',
      { body: { refreshToken: ['a'] } },
      400,
      'validation_failed',
    ],
    [
      'POST',
      '/internal/sessions/refresh',
      { body: { refreshToken: 'x'.repeat(300) } },
      400,
      'validation_failed',
    ],
    [
      'POST',
      '/internal/sessions/revoke',
      { body: { userId: randomUUID() } },
      400,
      'validation_failed',
    ],
    ['POST', '/internal/users/not-a-uuid/sessions/revoke', {}, 400, 'validation_failed'],
    ['GET', '/api/v1/sessions', {}, 401, 'unauthorized'],
    ['GET', '/api/v1/sessions', { token: 'not.a.jwt' }, 401, 'unauthorized'],
    ['GET', '/api/v1/sessions?limit=0', { token }, 400, 'validation_failed'],
    ['GET', '/api/v1/sessions?limit=abc', { token }, 400, 'validation_failed'],
    ['DELETE', "/api/v1/sessions/1'%20OR%20'1'='1", { token }, 400, 'validation_failed'],
    ['DELETE', `/api/v1/sessions/${randomUUID()}`, {}, 401, 'unauthorized'],
  ];
  for (const [method, path, options, status, code] of cases) {
    const reply = await call(method, path, options);
    assert.ok(reply.status < 500, `${method} ${path} gave ${reply.status}`);
    assertProblem(reply, status, code);
  }
});
