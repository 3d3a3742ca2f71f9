import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  createHmac,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomUUID,
  type KeyObject,
} from 'node:crypto';
import pg from 'pg';
import { SignJWT, type JWTPayload } from 'jose';
import { createTokenVerifier, HttpProblem, redisRevocationCheck, Redis } from '@messenger/platform';
import { stack } from '@messenger/testkit/stack';
import { call, openSession, sessionDatabaseUrl } from '@messenger/testkit/session/session-api';
import { sessionUrl } from '@messenger/testkit/service-urls';
import { KeySealer } from './keys/key-sealing.js';

// Every case runs against the shared verifier twice: in this process (createTokenVerifier on
// the live JWKS) and through the running session service's GET /api/v1/sessions.
const redis = new Redis(stack.redisUrl);
after(() => redis.quit());
const verify = createTokenVerifier({
  jwksUrl: new URL('/.well-known/jwks.json', sessionUrl).toString(),
  issuer: 'messenger',
  audience: 'messenger-api',
  isRevoked: redisRevocationCheck(redis),
});

/** The key the running service signs with, read from its database (white-box, for forging). */
async function liveSigningKey(): Promise<{ kid: string; privateKey: KeyObject }> {
  const db = new pg.Client({ connectionString: sessionDatabaseUrl() });
  await db.connect();
  try {
    const { rows } = await db.query<{ kid: string; private_key: string }>(
      'SELECT kid, private_key FROM signing_keys WHERE activates_at <= now() ORDER BY activates_at DESC LIMIT 1',
    );
    const row = rows[0];
    assert.ok(row, 'the session service has no signing key yet');
    const pem = new KeySealer(process.env['SIGNING_KEY_ENCRYPTION_KEY']).open(
      row.kid,
      row.private_key,
    );
    return { kid: row.kid, privateKey: createPrivateKey(pem) };
  } finally {
    await db.end();
  }
}

const now = () => Math.floor(Date.now() / 1000);

function claims(overrides: JWTPayload = {}): JWTPayload {
  return {
    iss: 'messenger',
    aud: 'messenger-api',
    sub: randomUUID(),
    sid: randomUUID(),
    iat: now(),
    exp: now() + 900,
    ...overrides,
  };
}

function sign(payload: JWTPayload, key: { kid: string; privateKey: KeyObject }): Promise<string> {
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'EdDSA', kid: key.kid })
    .sign(key.privateKey);
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

async function assertRefused(token: string, what: string): Promise<void> {
  await assert.rejects(
    verify(token),
    (error: unknown) => error instanceof HttpProblem && error.status === 401,
    what,
  );
  const reply = await call('GET', '/api/v1/sessions', { token });
  assert.equal(reply.status, 401, `${what}: the session service answered ${reply.status}`);
  assert.equal((reply.body as { code?: string }).code, 'unauthorized');
}

test('a correctly signed token is accepted (the control case)', async () => {
  const token = await sign(claims(), await liveSigningKey());
  const context = await verify(token);
  assert.ok(context.userId);
  assert.equal((await call('GET', '/api/v1/sessions', { token })).status, 200);
});

test('the JWT matrix: every malformed, forged, stale or revoked token is refused', async () => {
  const key = await liveSigningKey();
  const jwks = (await call('GET', '/.well-known/jwks.json')).body as {
    keys: { kid: string; x: string }[];
  };
  const publicJwk = jwks.keys.find((candidate) => candidate.kid === key.kid);
  assert.ok(publicJwk);
  const stranger = generateKeyPairSync('ed25519').privateKey;

  const valid = await sign(claims(), key);
  const [header, payload, signature] = valid.split('.');
  const hmac = (secret: string | Buffer, body: string) =>
    createHmac('sha256', secret).update(body).digest('base64url');
  const hsBody = `${b64({ alg: 'HS256', kid: key.kid, typ: 'JWT' })}.${payload}`;
  const publicPem = createPublicKey(key.privateKey).export({ type: 'spki', format: 'pem' });

  const revokedSession = await openSession();
  const revoke = await call('POST', '/internal/sessions/revoke', {
    body: { userId: revokedSession.userId, sessionId: revokedSession.sessionId },
  });
  assert.equal(revoke.status, 204);

  const cases: [string, string][] = [
    ['alg none', `${b64({ alg: 'none', kid: key.kid })}.${payload}.`],
    ['HS256 keyed with the public key (PEM)', `${hsBody}.${hmac(publicPem, hsBody)}`],
    [
      'HS256 keyed with the public key (x)',
      `${hsBody}.${hmac(Buffer.from(publicJwk.x, 'base64url'), hsBody)}`,
    ],
    ['expired', await sign(claims({ iat: now() - 2000, exp: now() - 1000 }), key)],
    ['nbf in the future', await sign(claims({ nbf: now() + 3600 }), key)],
    ['wrong audience', await sign(claims({ aud: 'someone-else' }), key)],
    ['wrong issuer', await sign(claims({ iss: 'evil' }), key)],
    ['bad signature', `${header}.${payload}.${(signature ?? '').slice(0, -4)}AAAA`],
    ['payload swapped under a valid signature', `${header}.${b64(claims())}.${signature}`],
    ['unknown kid', await sign(claims(), { kid: randomUUID(), privateKey: stranger })],
    ['a stranger key under our kid', await sign(claims(), { kid: key.kid, privateKey: stranger })],
    ['no sid claim', await sign(claims({ sid: undefined }), key)],
    ['no exp claim', await sign(claims({ exp: undefined }), key)],
    ['not a JWT at all', 'hello'],
    ['a revoked session', revokedSession.accessToken],
  ];
  for (const [what, token] of cases) await assertRefused(token, what);
});
