import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { internalOperations } from '@messenger/contracts';
import { HttpProblem } from './problem.js';
import { ServiceClient } from './service-client.js';

/** The answer the HTTP server gives next, and what it received. */
let answer: (req: IncomingMessage, body: string, res: ServerResponse) => void;
let server: Server;
let baseUrl: string;
const logger = pino({ level: 'silent' });

before(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      answer(req, body, res);
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => new Promise((resolve) => server.close(resolve)));

const client = (timeoutMs = 2_000) =>
  new ServiceClient({ service: 'profile', baseUrl, timeoutMs, logger });

function json(res: ServerResponse, status: number, body: unknown, type = 'application/json') {
  res.writeHead(status, { 'content-type': type }).end(JSON.stringify(body));
}

const profile = {
  userId: randomUUID(),
  nickname: 'ada.l',
  displayName: null,
  bio: null,
  avatarUrl: null,
  createdAt: '2026-11-21T10:00:00.000Z',
  updatedAt: '2026-11-21T10:00:00.000Z',
};

async function rejectsAsUnavailable(call: Promise<unknown>): Promise<void> {
  await assert.rejects(call, (error: unknown) => {
    assert.ok(error instanceof HttpProblem);
    assert.equal(error.status, 503);
    assert.equal(error.code, 'upstream_unavailable');
    assert.equal(error.detail, 'The profile service is unavailable; try again later.');
    return true;
  });
}

test('sends the body as JSON to the contract path and returns the parsed success', async () => {
  let seen = { method: '', url: '', type: '', body: '' };
  answer = (req, body, res) => {
    seen = {
      method: req.method ?? '',
      url: req.url ?? '',
      type: req.headers['content-type'] ?? '',
      body,
    };
    json(res, 201, profile);
  };
  const result = await client().call(internalOperations.createProfile, {
    body: { userId: profile.userId, nickname: 'Ada.L' },
  });
  assert.deepEqual(seen, {
    method: 'POST',
    url: '/internal/profiles',
    type: 'application/json',
    body: JSON.stringify({ userId: profile.userId, nickname: 'Ada.L' }),
  });
  assert.deepEqual(result, { ok: true, status: 201, body: profile });
});

test('fills path parameters (encoded) and the query', async () => {
  const urls: string[] = [];
  answer = (req, _body, res) => {
    urls.push(req.url ?? '');
    if (req.url?.startsWith('/internal/relationships'))
      json(res, 200, { friends: true, blockedByA: false, blockedByB: false });
    else json(res, 200, profile);
  };
  await client().call(internalOperations.profileByNickname, { params: { nickname: 'a b/c' } });
  const a = randomUUID();
  const b = randomUUID();
  const relationship = await client().call(internalOperations.relationship, { query: { a, b } });
  assert.deepEqual(urls, [
    '/internal/profiles/by-nickname/a%20b%2Fc',
    `/internal/relationships?a=${a}&b=${b}`,
  ]);
  assert.deepEqual(relationship.body, {
    friends: true,
    blockedByA: false,
    blockedByB: false,
  });
});

test('a problem the contract declares comes back as its code', async () => {
  answer = (_req, _body, res) => {
    json(
      res,
      409,
      { type: 'x', title: 'Conflict', status: 409, detail: 'taken', code: 'nickname_taken' },
      'application/problem+json',
    );
  };
  const result = await client().call(internalOperations.createProfile, {
    body: { userId: profile.userId, nickname: 'ada.l' },
  });
  assert.deepEqual(result, { ok: false, status: 409, code: 'nickname_taken' });
});

test('a failing, slow, unreachable or contract-breaking service is upstream_unavailable', async () => {
  const call = (c: ServiceClient) =>
    c.call(internalOperations.profileBatch, { body: { userIds: [profile.userId] } });
  answer = (_req, _body, res) => {
    json(res, 500, { code: 'internal' });
  };
  await rejectsAsUnavailable(call(client()));
  answer = (_req, _body, res) => {
    json(res, 200, { items: [{ userId: 'not-a-profile' }] });
  };
  await rejectsAsUnavailable(call(client()));
  answer = (_req, _body, res) => {
    json(res, 409, { type: 'x', title: 'Conflict', status: 409, detail: 'd', code: 'surprise' });
  };
  await rejectsAsUnavailable(call(client()));
  answer = (_req, _body, res) =>
    setTimeout(() => {
      json(res, 200, { items: [] });
    }, 500);
  await rejectsAsUnavailable(call(client(100)));
  const nobody = new ServiceClient({
    service: 'profile',
    baseUrl: 'http://127.0.0.1:1',
    timeoutMs: 1_000,
    logger,
  });
  await rejectsAsUnavailable(call(nobody));
});
