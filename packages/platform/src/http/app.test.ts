import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { z } from 'zod';
import { createHttpApp } from './app.js';
import { MAX_EVENT_LOOP_DELAY_MS } from './health.js';
import { parseInput } from './validate.js';
import { problems } from './problem.js';
import { createLogger } from '../logger.js';
import { createRegistry } from '../metrics.js';

let server: Server;
let base: string;
let dbUp = true;

before(async () => {
  const app = createHttpApp({
    logger: createLogger('test', 'silent'),
    registry: createRegistry('test'),
    readiness: {
      database: () => (dbUp ? Promise.resolve() : Promise.reject(new Error('connection refused'))),
    },
    routes: (router) => {
      router.post('/things', (req, res) => {
        const body = parseInput(z.object({ name: z.string().min(3) }), req.body);
        res.status(201).json(body);
      });
      router.get('/things/:id', (req, res) => {
        if (req.params.id !== '1') throw problems.notFound('No such thing.');
        res.json({ id: '1' });
      });
      router.get('/boom', () => {
        throw new Error('bug');
      });
      // A query on a PostgreSQL that is down (nothing listens on port 1).
      router.get('/database-down', async () => {
        await new pg.Client({ host: '127.0.0.1', port: 1 }).connect();
      });
    },
  });
  server = app.listen(0);
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => {
  server.close();
});

async function problemOf(response: Response): Promise<Record<string, unknown>> {
  assert.equal(response.headers.get('content-type'), 'application/problem+json; charset=utf-8');
  return (await response.json()) as Record<string, unknown>;
}

const json = { 'content-type': 'application/json' };

test('valid input reaches the handler', async () => {
  const response = await fetch(`${base}/things`, {
    method: 'POST',
    headers: json,
    body: '{"name":"abc"}',
  });
  assert.equal(response.status, 201);
  assert.deepEqual(await response.json(), { name: 'abc' });
});

test('invalid input is a 400 validation problem naming the field', async () => {
  const response = await fetch(`${base}/things`, {
    method: 'POST',
    headers: json,
    body: '{"name":1}',
  });
  assert.equal(response.status, 400);
  const problem = await problemOf(response);
  assert.equal(problem['code'], 'validation_failed');
  assert.deepEqual(
    (problem['errors'] as { path: string }[]).map((e) => e.path),
    ['name'],
  );
});

test('malformed JSON is a 400 problem', async () => {
  const response = await fetch(`${base}/things`, {
    method: 'POST',
    headers: json,
    body: '{"name":',
  });
  assert.equal(response.status, 400);
  assert.equal((await problemOf(response))['code'], 'malformed_json');
});

test('an oversized body is a 413 problem', async () => {
  const body = JSON.stringify({ name: 'x'.repeat(100_000) });
  const response = await fetch(`${base}/things`, { method: 'POST', headers: json, body });
  assert.equal(response.status, 413);
  assert.equal((await problemOf(response))['code'], 'payload_too_large');
});

test('a body that is not JSON is a 415 problem', async () => {
  const response = await fetch(`${base}/things`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain' },
    body: 'name=abc',
  });
  assert.equal(response.status, 415);
  assert.equal((await problemOf(response))['code'], 'unsupported_media_type');
});

test('unknown routes and ids are 404 problems', async () => {
  assert.equal((await problemOf(await fetch(`${base}/nope`)))['status'], 404);
  assert.equal((await problemOf(await fetch(`${base}/things/2`)))['code'], 'not_found');
});

test('a bug is a 500 problem without internals', async () => {
  const response = await fetch(`${base}/boom`);
  assert.equal(response.status, 500);
  const problem = await problemOf(response);
  assert.equal(problem['code'], 'internal');
  assert.doesNotMatch(JSON.stringify(problem), /bug/);
});

test('a backing server that is down is a 503 to retry, not a 500', async () => {
  const response = await fetch(`${base}/database-down`);
  assert.equal(response.status, 503);
  assert.equal(response.headers.get('retry-after'), '1');
  assert.equal((await problemOf(response))['code'], 'upstream_unavailable');
});

test('request ids are echoed when well-formed and made otherwise', async () => {
  const echoed = await fetch(`${base}/healthz`, { headers: { 'x-request-id': 'abc-123' } });
  assert.equal(echoed.headers.get('x-request-id'), 'abc-123');
  const made = await fetch(`${base}/healthz`, {
    headers: { 'x-request-id': 'bad id with spaces' },
  });
  assert.match(made.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
});

test('readiness reports a failing dependency with 503', async () => {
  dbUp = false;
  const down = await fetch(`${base}/readyz`);
  assert.equal(down.status, 503);
  assert.deepEqual(await down.json(), {
    status: 'unavailable',
    checks: { database: 'connection refused' },
  });
  dbUp = true;
  assert.equal((await fetch(`${base}/readyz`)).status, 200);
});

test('metrics label requests by route template, not raw path', async () => {
  await fetch(`${base}/things/1`);
  await fetch(`${base}/things/2`);
  const metrics = await (await fetch(`${base}/metrics`)).text();
  assert.match(
    metrics,
    /http_server_duration_seconds_count\{service="test",method="GET",route="\/things\/:id",status_code="200"\} 1/,
  );
  assert.match(metrics, /route="\/things\/:id",status_code="404"/);
  assert.doesNotMatch(metrics, /route="\/things\/2"/);
  assert.match(metrics, /process_cpu_user_seconds_total/);
});

test('/healthz says not alive after the event loop stalled, then alive again', async () => {
  assert.equal((await fetch(`${base}/healthz`)).status, 200);
  const pending = fetch(`${base}/healthz`);
  // Block this process's loop (the app runs in it) for longer than the bound.
  const until = Date.now() + MAX_EVENT_LOOP_DELAY_MS + 300;
  while (Date.now() < until) {
    // busy
  }
  const stalled = await pending;
  assert.equal(stalled.status, 503);
  assert.equal(((await stalled.json()) as { status: string }).status, 'stalled');
  assert.equal((await fetch(`${base}/healthz`)).status, 200, 'the window restarts');
});

test('a body nested 10,000 levels deep is a 400 problem, not a crash', async () => {
  const response = await fetch(`${base}/things`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: `{"name":${'['.repeat(10_000)}${']'.repeat(10_000)}}`,
  });
  assert.equal(response.status, 400);
  assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.equal(((await response.json()) as { code: string }).code, 'validation_failed');
});

test('X-Forwarded-For is believed only for the configured proxy hops', async () => {
  const addressSeen = async (trustProxy: number, forwardedFor: string) => {
    const app = createHttpApp({
      logger: createLogger('test', 'silent'),
      registry: createRegistry('test'),
      readiness: {},
      trustProxy,
      routes: (router) => router.get('/ip', (req, res) => res.json({ ip: req.ip })),
    });
    const own = app.listen(0);
    await new Promise((resolve) => own.once('listening', resolve));
    try {
      const url = `http://127.0.0.1:${(own.address() as AddressInfo).port}/ip`;
      const response = await fetch(url, { headers: { 'x-forwarded-for': forwardedFor } });
      return ((await response.json()) as { ip: string }).ip;
    } finally {
      own.close();
    }
  };
  assert.match(await addressSeen(0, '198.51.100.7'), /127\.0\.0\.1$/, 'the edge ignores it');
  assert.equal(await addressSeen(1, '203.0.113.9, 198.51.100.7'), '198.51.100.7', 'one hop back');
  assert.equal(await addressSeen(2, '203.0.113.9, 198.51.100.7'), '203.0.113.9', 'two hops back');
});
