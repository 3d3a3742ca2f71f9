import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { contactApi as api } from '@messenger/testkit/social';
import { call, type Answer } from '@messenger/testkit/http';
import { newUser, type TestUser } from '@messenger/testkit/users';

let user: TestUser;

before(async () => {
  user = await newUser('bad');
});

function assertProblem(answer: Answer, status: number, what: string): void {
  assert.equal(answer.status, status, `${what}: ${JSON.stringify(answer.body)}`);
  assert.match(answer.contentType, /^application\/problem\+json/, what);
  assert.equal(typeof answer.body['code'], 'string', what);
}

const id = randomUUID();
const routes: [string, string][] = [
  ['POST', '/friends/requests'],
  ['GET', '/friends/requests'],
  ['POST', `/friends/requests/${id}/accept`],
  ['POST', `/friends/requests/${id}/reject`],
  ['DELETE', `/friends/requests/${id}`],
  ['GET', '/friends'],
  ['DELETE', `/friends/${id}`],
  ['POST', `/blocks/${id}`],
  ['DELETE', `/blocks/${id}`],
  ['GET', '/blocks'],
];

test('every route wants a valid access token', async () => {
  for (const [method, path] of routes) {
    for (const token of [undefined, 'garbage', `${user.token}x`]) {
      assertProblem(
        await call(method, `${api}${path}`, token ? { token } : {}),
        401,
        `${method} ${path}`,
      );
    }
  }
});

test('bad request bodies are 400 problems', async () => {
  const bodies: unknown[] = [
    {},
    { nickname: 'ok_name', userId: id },
    { userId: 'not-a-uuid' },
    { userId: 42 },
    { nickname: 'x' },
    { nickname: 'y'.repeat(5_000) },
    { nickname: { $gt: '' } },
    { nickname: ['a_b_c'] },
    { userId: id, extra: true },
    [],
  ];
  for (const body of bodies) {
    const answer = await call('POST', `${api}/friends/requests`, { token: user.token, body });
    assertProblem(answer, 400, JSON.stringify(body).slice(0, 60));
  }
  const malformed = await call('POST', `${api}/friends/requests`, {
    token: user.token,
    rawBody: '{"userId": ',
  });
  assertProblem(malformed, 400, 'malformed JSON');
  assert.equal(malformed.body['code'], 'malformed_json');
});

test('bad ids in paths are 400 problems and unknown ids are 404', async () => {
  for (const bad of ['nope', '1', `${id}x`, "'; DROP TABLE blocks; --"]) {
    const value = encodeURIComponent(bad);
    for (const [method, path] of [
      ['POST', `/friends/requests/${value}/accept`],
      ['POST', `/friends/requests/${value}/reject`],
      ['DELETE', `/friends/requests/${value}`],
      ['DELETE', `/friends/${value}`],
      ['POST', `/blocks/${value}`],
      ['DELETE', `/blocks/${value}`],
    ] as const) {
      assertProblem(
        await call(method, `${api}${path}`, { token: user.token }),
        400,
        `${method} ${path}`,
      );
    }
  }
  for (const [method, path] of routes.filter(([, path]) => path.includes(id))) {
    if (method === 'POST' && path.startsWith('/blocks')) continue;
    assertProblem(
      await call(method, `${api}${path}`, { token: user.token }),
      404,
      `${method} ${path}`,
    );
  }
});

test('bad list queries and forged cursors are 400 problems', async () => {
  const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const queries = [
    'limit=0',
    'limit=101',
    'limit=many',
    'cursor=%%%',
    'cursor=not-base64-json',
    `cursor=${forged({ before: '-1' })}`,
    `cursor=${forged({ before: '99999999999999999999' })}`,
    `cursor=${forged({ before: 5 })}`,
    `cursor=${'a'.repeat(600)}`,
    'limit=1&limit=2',
  ];
  for (const path of ['/friends/requests', '/friends', '/blocks']) {
    for (const query of queries) {
      assertProblem(
        await call('GET', `${api}${path}?${query}`, { token: user.token }),
        400,
        `${path}?${query}`,
      );
    }
  }
  assertProblem(
    await call('GET', `${api}/friends/requests?direction=sideways`, { token: user.token }),
    400,
    'direction',
  );
});
