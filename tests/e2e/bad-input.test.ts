import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { externalOperations } from '@messenger/contracts';
import {
  call,
  register,
  type ApiResponse,
  type TestUser,
} from '@messenger/testkit/gateway/app-client';
import { gatewayUrl, messagingUrls } from '@messenger/testkit/service-urls';

let user: TestUser;

before(async () => {
  user = await register('probe');
});

const bodies: Record<string, unknown>[] = [
  { email: ['a@example.com'], password: 12345678, nickname: { $gt: '' } },
  { $where: 'sleep(1000)', content: { $ne: null }, userId: { $regex: '.*' } },
  { clientMsgId: '', content: '', upToSeq: -1, type: 'nonsense', memberIds: 'everyone' },
  {
    nickname: 'x'.repeat(5_000),
    bio: 'y'.repeat(5_000),
    content: 'z'.repeat(4_001),
    refreshToken: 'r'.repeat(5_000),
  },
  {
    userId: '../../etc/passwd',
    token: null,
    avatarUrl: 'javascript:alert(1)',
    mediaUrl: 'http://insecure',
  },
];

function pathWith(template: string, value: string): string {
  return template.replace(/\{\w+\}/g, encodeURIComponent(value));
}

function assertClientError(response: ApiResponse, what: string): void {
  assert.ok(
    response.status >= 400 && response.status < 500,
    `${what} answered ${response.status}: ${JSON.stringify(response.body)}`,
  );
  assert.match(
    response.headers.get('content-type') ?? '',
    /^application\/problem\+json/,
    `${what} is not problem+json`,
  );
  assert.equal(typeof response.body['code'], 'string', `${what} has no code`);
}

const writeRoutes = externalOperations.filter(
  (route) => route.method === 'post' || route.method === 'patch',
);
// Operations whose contracted body refuses an empty object; any object is a valid logout or
// profile edit, so those are probed with malformed JSON only.
const bodyRoutes = writeRoutes.filter((route) => route.body && !route.body.safeParse({}).success);

test('malformed JSON is a 400 problem on every route that takes a body', async () => {
  for (const route of writeRoutes) {
    const response = await call(route.method.toUpperCase(), pathWith(route.path, randomUUID()), {
      token: user.accessToken,
      rawBody: '{"broken": ',
      headers: { 'content-type': 'application/json' },
    });
    assertClientError(response, `${route.method} ${route.path}`);
    assert.equal(response.status, 400);
  }
});

test('wrong types, injection-shaped objects and oversized strings are 4xx problems everywhere', async () => {
  assert.equal(bodyRoutes.length, 12);
  for (const route of bodyRoutes) {
    for (const body of bodies) {
      const response = await call(route.method.toUpperCase(), pathWith(route.path, randomUUID()), {
        token: user.accessToken,
        body,
      });
      assertClientError(
        response,
        `${route.method} ${route.path} with ${JSON.stringify(body).slice(0, 60)}`,
      );
    }
  }
});

test('bad ids in paths are 4xx problems on every route with a parameter', async () => {
  for (const route of externalOperations.filter((r) => r.path.includes('{'))) {
    for (const id of ['not-a-uuid', "1' OR '1'='1", 'x'.repeat(300)]) {
      const response = await call(route.method.toUpperCase(), pathWith(route.path, id), {
        token: user.accessToken,
        ...(route.method === 'post' || route.method === 'patch' ? { body: {} } : {}),
      });
      assertClientError(response, `${route.method} ${pathWith(route.path, id).slice(0, 80)}`);
    }
  }
});

test('bad cursors, limits and queries on list routes are 400 problems', async () => {
  const lists = [
    '/profiles?search=a',
    '/friends/requests?direction=incoming',
    '/friends',
    '/blocks',
    '/chats',
    `/chats/${randomUUID()}/messages`,
  ];
  for (const path of lists) {
    const join = path.includes('?') ? '&' : '?';
    for (const query of [
      'cursor=%%%not-base64',
      'cursor=eyJub3QiOiJ5b3VycyJ9',
      'limit=0',
      'limit=101',
      'limit=ten',
    ]) {
      const response = await call('GET', `${path}${join}${query}`, { token: user.accessToken });
      assertClientError(response, `GET ${path}${join}${query}`);
    }
  }
  assertClientError(
    await call('GET', '/friends/requests?direction=sideways', { token: user.accessToken }),
    'bad direction',
  );
  assertClientError(
    await call('GET', '/presence?userIds=not-a-uuid', { token: user.accessToken }),
    'bad presence ids',
  );
});

test('a body over the size limit is a 413 problem', async () => {
  const response = await call('POST', '/auth/register', {
    body: { nickname: 'n'.repeat(200_000) },
  });
  assert.equal(response.status, 413);
  assertClientError(response, 'oversized body');
});

test('headers over the size limit are a 431 problem, at the gateway and at a service', async () => {
  for (const base of [gatewayUrl, messagingUrls[0] ?? '']) {
    const response = await fetch(new URL('/api/v1/chats', base), {
      headers: { authorization: `Bearer ${user.accessToken}`, 'x-padding': 'p'.repeat(20_000) },
    });
    assert.equal(response.status, 431, base);
    assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
    const body = (await response.json()) as { code?: string; status?: number };
    assert.deepEqual([body.code, body.status], ['headers_too_large', 431], base);
  }
});
