import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { bearerToken, createTokenVerifier, type TokenVerifier } from './verifier.js';
import { HttpProblem } from '../http/problem.js';

let jwks: Server;
let privateKey: CryptoKey;
let verify: TokenVerifier;
const revoked = new Set<string>();

before(async () => {
  const pair = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  privateKey = pair.privateKey;
  const publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'EdDSA', use: 'sig' };
  jwks = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: [publicJwk] }));
  }).listen(0);
  await new Promise((resolve) => jwks.once('listening', resolve));
  verify = createTokenVerifier({
    jwksUrl: `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks`,
    issuer: 'messenger',
    audience: 'messenger-api',
    isRevoked: (sid) => Promise.resolve(revoked.has(sid)),
  });
});

after(() => {
  jwks.close();
});

function sign(
  claims: Record<string, unknown>,
  options: { audience?: string; expiresIn?: string } = {},
): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'EdDSA', kid: 'k1' })
    .setIssuer('messenger')
    .setAudience(options.audience ?? 'messenger-api')
    .setSubject('3f1c1c52-6e7e-4c1e-9b8a-1f2d3c4b5a69')
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '15m')
    .sign(privateKey);
}

async function rejects(token: string, detail: RegExp): Promise<void> {
  await assert.rejects(verify(token), (error: unknown) => {
    assert.ok(error instanceof HttpProblem);
    assert.equal(error.status, 401);
    assert.match(error.detail, detail);
    return true;
  });
}

test('a valid token yields the user and session', async () => {
  const context = await verify(await sign({ sid: 's1' }));
  assert.equal(context.userId, '3f1c1c52-6e7e-4c1e-9b8a-1f2d3c4b5a69');
  assert.equal(context.sessionId, 's1');
});

test('wrong audience, expiry, tampering and missing claims are refused', async () => {
  await rejects(await sign({ sid: 's1' }, { audience: 'someone-else' }), /invalid or expired/);
  await rejects(await sign({ sid: 's1' }, { expiresIn: '-1m' }), /invalid or expired/);
  const token = await sign({ sid: 's1' });
  await rejects(`${token.slice(0, -4)}AAAA`, /invalid or expired/);
  await rejects(await sign({}), /missing claims/);
});

test('a revoked session is refused at once', async () => {
  const token = await sign({ sid: 's2' });
  await verify(token);
  revoked.add('s2');
  await rejects(token, /revoked/);
});

test('bearer tokens are read only from a well-formed header', () => {
  assert.equal(bearerToken('Bearer abc.def.ghi'), 'abc.def.ghi');
  assert.equal(bearerToken('bearer abc'), undefined);
  assert.equal(bearerToken('Bearer '), undefined);
  assert.equal(bearerToken(undefined), undefined);
});
