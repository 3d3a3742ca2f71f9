import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { randomInt } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { eventually } from '@messenger/testkit/eventually';
import { stack } from '@messenger/testkit/stack';

/**
 * A gateway of its own, with small limits, in front of TEST DOUBLES of upstream services: an echo
 * service (which also serves a JWKS with the test's signing key, standing in for session), a
 * service too slow to answer, and one that is down. Real services are exercised by the e2e suite.
 */
let gateway: ChildProcess;
let base: string;
let slowUpstream: Server;
let echoUpstream: Server;
/** Two messaging doubles: one whose /readyz says 503, one ready; both name themselves. */
let messagingDoubles: Server[];
const clientIp = `203.0.113.${randomInt(1, 254)}`;
let signingKey: CryptoKey;
let publicJwk: Record<string, unknown>;

function accessToken(): Promise<string> {
  return new SignJWT({ sid: `gateway-test-${randomInt(1_000_000)}` })
    .setProtectedHeader({ alg: 'EdDSA', kid: 'gateway-test' })
    .setIssuer('messenger')
    .setAudience('messenger-api')
    .setSubject('7d3f6a9e-2b1c-4c8d-9e0f-1a2b3c4d5e6f')
    .setExpirationTime('5m')
    .sign(signingKey);
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await listen(probe);
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

before(async () => {
  const pair = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  signingKey = pair.privateKey;
  publicJwk = {
    ...(await exportJWK(pair.publicKey)),
    kid: 'gateway-test',
    alg: 'EdDSA',
    use: 'sig',
  };
  slowUpstream = createServer((_req, res) => {
    setTimeout(() => res.end('{}'), 2_000).unref();
  });
  echoUpstream = createServer((req, res) => {
    if (req.url === '/.well-known/jwks.json') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [publicJwk] }));
      return;
    }
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          method: req.method,
          url: req.url,
          body,
          traceparent: req.headers['traceparent'] ?? null,
        }),
      );
    });
  });
  const echoUrl = await listen(echoUpstream);
  messagingDoubles = ['unready', 'ready'].map((name) =>
    createServer((req, res) => {
      res.statusCode = req.url === '/readyz' && name === 'unready' ? 503 : 200;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ instance: name }));
    }),
  );
  const [unreadyUrl, readyUrl] = await Promise.all(messagingDoubles.map(listen));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  gateway = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', join(__dirname, 'main.ts')],
    {
      env: {
        ...process.env,
        PORT: String(port),
        LOG_LEVEL: 'warn',
        REDIS_URL: stack.redisUrl,
        AUTH_URL: echoUrl,
        CONTACT_URL: echoUrl,
        SEARCH_URL: echoUrl,
        PROFILE_URL: await listen(slowUpstream),
        SESSION_URL: 'http://127.0.0.1:9',
        // An unready instance, a down one and a ready one.
        MESSAGING_URLS: `${unreadyUrl ?? ''},http://127.0.0.1:9,${readyUrl ?? ''}`,
        UPSTREAM_CHECK_INTERVAL_MS: '200',
        JWKS_URL: `${echoUrl}/.well-known/jwks.json`,
        CORS_ORIGINS: 'https://app.example.com',
        RATE_LIMIT_IP_PER_MINUTE: '40',
        // The test stands in for one ingress in front: its X-Forwarded-For is the client.
        TRUST_PROXY: '1',
        UPSTREAM_TIMEOUT_MS: '300',
        JSON_LIMIT: '8kb',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  await eventually(
    async () => ((await fetch(`${base}/healthz`).catch(() => undefined))?.ok ? true : undefined),
    // Compiling the sources on the fly takes a while on a loaded 2-core machine.
    60_000,
    'the gateway',
  );
});

after(async () => {
  gateway.kill('SIGTERM');
  await new Promise((resolve) => gateway.once('exit', resolve));
  slowUpstream.close();
  echoUpstream.close();
  for (const double of messagingDoubles) double.close();
});

const json = { 'content-type': 'application/json', 'x-forwarded-for': clientIp };

async function problem(response: Response, status: number, code: string): Promise<void> {
  assert.equal(response.status, status);
  assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.equal(((await response.json()) as { code: string }).code, code);
}

test('public routes reach their service with the body, path and trace context', async () => {
  const response = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { ...json, traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
    body: JSON.stringify({ email: 'a@example.com', password: 'secret123' }),
  });
  assert.equal(response.status, 200);
  const seen = (await response.json()) as {
    method: string;
    url: string;
    body: string;
    traceparent: string;
  };
  assert.equal(seen.method, 'POST');
  assert.equal(seen.url, '/api/v1/auth/login');
  assert.deepEqual(JSON.parse(seen.body), { email: 'a@example.com', password: 'secret123' });
  assert.match(seen.traceparent, /^00-0af7651916cd43dd8448eb211c80319c-/);
  assert.ok(response.headers.get('x-request-id'));
});

test('protected routes need a token at the edge', async () => {
  await problem(await fetch(`${base}/api/v1/profiles/me`, { headers: json }), 401, 'unauthorized');
  await problem(
    await fetch(`${base}/api/v1/chats`, {
      headers: { ...json, authorization: 'Bearer not.a.jwt' },
    }),
    401,
    'unauthorized',
  );
});

test('bad bodies are refused at the edge', async () => {
  const url = `${base}/api/v1/auth/register`;
  await problem(
    await fetch(url, { method: 'POST', headers: json, body: '{"email":' }),
    400,
    'malformed_json',
  );
  await problem(
    await fetch(url, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ nickname: 'x'.repeat(10_000) }),
    }),
    413,
    'payload_too_large',
  );
  await problem(
    await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'x-forwarded-for': clientIp },
      body: 'hello',
    }),
    415,
    'unsupported_media_type',
  );
});

test('unknown paths are 404 problems', async () => {
  await problem(await fetch(`${base}/api/v1/nothing-here`, { headers: json }), 404, 'not_found');
  await problem(
    await fetch(`${base}/internal/profiles/batch`, { method: 'POST', headers: json, body: '{}' }),
    404,
    'not_found',
  );
});

test('a valid token passes the edge and reaches the service', async () => {
  const response = await fetch(`${base}/api/v1/friends?limit=5`, {
    headers: { ...json, authorization: `Bearer ${await accessToken()}` },
  });
  assert.equal(response.status, 200);
  assert.equal(((await response.json()) as { url: string }).url, '/api/v1/friends?limit=5');
});

test('a slow service is a 504 and a down one a 503, each as problem+json', async () => {
  const headers = { ...json, authorization: `Bearer ${await accessToken()}` };
  const started = Date.now();
  await problem(await fetch(`${base}/api/v1/profiles/me`, { headers }), 504, 'upstream_timeout');
  assert.ok(Date.now() - started < 1_500, 'the timeout cut the wait short');
  const down = await fetch(`${base}/api/v1/sessions`, { headers });
  assert.equal(down.headers.get('retry-after'), '1');
  await problem(down, 503, 'upstream_unavailable');
});

test('requests go only to the instances that are ready and reachable', async () => {
  const headers = { ...json, authorization: `Bearer ${await accessToken()}` };
  const instanceOf = async () => {
    const response = await fetch(`${base}/api/v1/chats`, { headers });
    return response.ok ? ((await response.json()) as { instance: string }).instance : 'error';
  };
  // The first readiness round runs at start; give it a moment, then expect no other answer.
  await new Promise((resolve) => setTimeout(resolve, 600));
  const answers = [];
  for (let i = 0; i < 12; i += 1) answers.push(await instanceOf());
  assert.deepEqual(new Set(answers), new Set(['ready']), answers.join(' '));
});

test('CORS answers only allowed origins', async () => {
  const allowed = await fetch(`${base}/api/v1/auth/login`, {
    method: 'OPTIONS',
    headers: {
      origin: 'https://app.example.com',
      'access-control-request-method': 'POST',
      'x-forwarded-for': clientIp,
    },
  });
  assert.equal(allowed.headers.get('access-control-allow-origin'), 'https://app.example.com');
  const other = await fetch(`${base}/api/v1/auth/login`, {
    method: 'OPTIONS',
    headers: {
      origin: 'https://evil.example.net',
      'access-control-request-method': 'POST',
      'x-forwarded-for': clientIp,
    },
  });
  assert.equal(other.headers.get('access-control-allow-origin'), null);
});

test('security headers are set', async () => {
  const response = await fetch(`${base}/api/v1/openapi.json`, { headers: json });
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
  assert.ok(response.headers.get('content-security-policy'));
});

test('a client over its limit gets 429 with Retry-After', async () => {
  const ip = `198.51.100.${randomInt(1, 254)}`;
  const statuses: number[] = [];
  for (let i = 0; i < 41; i += 1) {
    const response = await fetch(`${base}/api/v1/openapi.json`, {
      headers: { 'x-forwarded-for': ip },
    });
    statuses.push(response.status);
    if (response.status === 429) {
      assert.ok(Number(response.headers.get('retry-after')) >= 1);
      await problem(response, 429, 'rate_limited');
    } else {
      await response.arrayBuffer();
    }
  }
  assert.equal(statuses.filter((status) => status === 200).length, 40);
  assert.equal(statuses.at(-1), 429);
});
