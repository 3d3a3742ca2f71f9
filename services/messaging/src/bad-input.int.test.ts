import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import type { Chat } from '@messenger/contracts';
import { directChat, send } from '@messenger/testkit/messaging/chats';
import { call, type Answer } from '@messenger/testkit/http';
import {
  connectSocket,
  emitWithAck,
  instanceA,
  instanceB,
  refusal,
} from '@messenger/testkit/sockets';
import { befriend } from '@messenger/testkit/social';
import { newUsers, type TestUser } from '@messenger/testkit/users';
import { forgetChats } from '@messenger/testkit/messaging/cleanup';

after(() => forgetChats());

let user: TestUser;
let chat: Chat;

before(async () => {
  const [a, b] = await newUsers(2);
  user = a!;
  await befriend(a!, b!);
  chat = await directChat(instanceA, a!, b!);
  await send(instanceA, a!, chat.id, 'a message to point at');
});

function assertProblem(answer: Answer, what: string, status?: number): void {
  assert.ok(answer.status >= 400 && answer.status < 500, `${what}: ${answer.status}`);
  if (status) assert.equal(answer.status, status, what);
  assert.match(answer.contentType, /^application\/problem\+json/, what);
  assert.equal(typeof answer.body['code'], 'string', what);
}

const api = (path: string) => `${instanceB}/api/v1${path}`;
const badIds = ['not-a-uuid', "1' OR '1'='1", 'x'.repeat(300), '%24ne'];

test('bad ids in every path are 4xx problems', async () => {
  for (const id of badIds) {
    for (const [method, path] of [
      ['GET', `/chats/${id}`],
      ['POST', `/chats/${id}/members`],
      ['DELETE', `/chats/${id}/members/${id}`],
      ['DELETE', `/chats/${chat.id}/members/${id}`],
      ['POST', `/chats/${id}/messages`],
      ['GET', `/chats/${id}/messages`],
      ['POST', `/chats/${id}/read`],
      ['GET', `/chats/${id}/messages/${id}/receipts`],
      ['GET', `/chats/${chat.id}/messages/${id}/receipts`],
    ] as const) {
      const answer = await call(method, api(path), {
        token: user.token,
        ...(method === 'POST' ? { body: {} } : {}),
      });
      assertProblem(answer, `${method} ${path.slice(0, 60)}`);
    }
  }
});

test('wrong bodies on every write are 400 problems naming the field', async () => {
  const cases: [string, unknown[]][] = [
    [
      '/chats',
      [
        {},
        [],
        { type: 'nonsense' },
        { type: 'direct' },
        { type: 'direct', userId: 'someone' },
        { type: 'direct', userId: { $ne: null } },
        { type: 'direct', userId: user.id },
        { type: 'group', name: '', memberIds: [] },
        { type: 'group', name: '   ', memberIds: [] },
        { type: 'group', name: 'a\u0000b', memberIds: [] },
        { type: 'group', name: 'n'.repeat(101), memberIds: [] },
        { type: 'group', name: 'n', memberIds: 'everyone' },
        { type: 'group', name: 'n', memberIds: ['nope'] },
        { type: 'group', name: 'n', memberIds: Array.from({ length: 101 }, () => randomUUID()) },
      ],
    ],
    [`/chats/${chat.id}/members`, [{}, { userId: 'x' }, { userId: ['a'] }, { userId: null }]],
    [
      `/chats/${chat.id}/messages`,
      [
        {},
        { clientMsgId: '', content: 'x' },
        { clientMsgId: 'k', content: '' },
        { clientMsgId: 'k', content: ' \n\t ' },
        { clientMsgId: 'k', content: 'nul\u0000inside' },
        { clientMsgId: 'k', content: 'z'.repeat(4001) },
        { clientMsgId: 'k'.repeat(101), content: 'x' },
        { clientMsgId: 'k', content: 7 },
        { clientMsgId: 'k', content: { $ne: null } },
        { clientMsgId: 'k', content: 'x', mediaUrl: 'http://insecure.example/a.png' },
        { clientMsgId: 'k', content: 'x', mediaUrl: 'javascript:alert(1)' },
        { clientMsgId: 'k', content: 'x', mediaUrl: 42 },
      ],
    ],
    [
      `/chats/${chat.id}/read`,
      [{}, { upToSeq: -1 }, { upToSeq: 1.5 }, { upToSeq: '1' }, { upToSeq: 2 ** 60 }],
    ],
  ];
  for (const [path, bodies] of cases) {
    for (const body of bodies) {
      const answer = await call('POST', api(path), { token: user.token, body });
      assertProblem(answer, `POST ${path} ${JSON.stringify(body).slice(0, 60)}`, 400);
      assert.equal(answer.body['code'], 'validation_failed');
    }
    for (const rawBody of ['{"broken": ', '"direct"', 'null', '42']) {
      const answer = await call('POST', api(path), { token: user.token, rawBody });
      assertProblem(answer, `POST ${path} ${rawBody}`, 400);
    }
  }
  const notJson = await fetch(api('/chats'), {
    method: 'POST',
    headers: { authorization: `Bearer ${user.token}`, 'content-type': 'text/plain' },
    body: 'type=direct',
  });
  assert.equal(notJson.status, 415);
});

test('bad queries, limits and cursors are 400 problems', async () => {
  const forge = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const lists = ['/chats', `/chats/${chat.id}/messages`];
  for (const path of lists) {
    for (const query of [
      'limit=0',
      'limit=101',
      'limit=ten',
      'cursor=%%%not-base64',
      `cursor=${forge({ not: 'yours' })}`,
      `cursor=${forge([1, 2])}`,
      `cursor=${forge({ afterSeq: -5 })}`,
      `cursor=${forge({ at: 'yesterday', id: 'x' })}`,
    ]) {
      assertProblem(await call('GET', api(`${path}?${query}`), { token: user.token }), query, 400);
    }
  }
  for (const query of ['afterSeq=-1', 'afterSeq=abc', 'beforeSeq=0', 'beforeSeq=1e400']) {
    const answer = await call('GET', api(`/chats/${chat.id}/messages?${query}`), {
      token: user.token,
    });
    assertProblem(answer, query, 400);
  }
  for (const query of [
    '',
    'userIds=',
    'userIds=not-a-uuid',
    `userIds=${randomUUID()},nope`,
    `userIds=${Array.from({ length: 101 }, () => randomUUID()).join(',')}`,
  ]) {
    assertProblem(await call('GET', api(`/presence?${query}`), { token: user.token }), query, 400);
  }
});

test('every endpoint refuses a missing or bad token with 401', async () => {
  for (const [method, path] of [
    ['GET', '/chats'],
    ['POST', '/chats'],
    ['GET', `/chats/${chat.id}`],
    ['POST', `/chats/${chat.id}/messages`],
    ['GET', `/presence?userIds=${user.id}`],
  ] as const) {
    assertProblem(await call(method, api(path)), `${method} ${path} without a token`, 401);
    assertProblem(
      await call(method, api(path), { token: 'not.a.jwt' }),
      `${method} ${path} with a bad token`,
      401,
    );
  }
});

test('the socket handshake refuses missing and bad tokens', async () => {
  for (const token of [undefined, '', 42, 'garbage', { token: 'x' }]) {
    const error = await refusal(instanceA, token);
    assert.equal(error.message, 'unauthorized', JSON.stringify(token));
    assert.deepEqual((error.data as { code: string }).code, 'unauthorized');
  }
});

test('bad socket payloads get error acks, and the socket keeps working', async () => {
  const socket: Socket = await connectSocket(instanceA, user.token);
  try {
    const junk: unknown[] = [
      undefined,
      null,
      'text',
      42,
      [],
      {},
      { chatId: 'x' },
      { chatId: { $ne: null } },
    ];
    const cases: Record<string, unknown[]> = {
      'message:send': [
        ...junk,
        { chatId: chat.id, clientMsgId: 'k' },
        { chatId: chat.id, clientMsgId: 'k', content: '' },
        { chatId: chat.id, clientMsgId: 'k', content: '   ' },
        { chatId: chat.id, clientMsgId: 'k', content: 'a\u0001b' },
        { chatId: chat.id, clientMsgId: 'k', content: 'z'.repeat(4001) },
        { chatId: chat.id, clientMsgId: 'k', content: 'x', mediaUrl: 'http://a.b' },
      ],
      'message:delivered': [
        ...junk,
        { chatId: chat.id, upToSeq: -1 },
        { chatId: chat.id, upToSeq: 'all' },
      ],
      typing: [...junk, { chatId: chat.id, typing: 'yes' }],
      sync: [
        ...junk,
        { chats: 'all' },
        { chats: [{ chatId: chat.id, afterSeq: -1 }] },
        { chats: Array.from({ length: 101 }, () => ({ chatId: randomUUID(), afterSeq: 0 })) },
      ],
    };
    for (const [event, payloads] of Object.entries(cases)) {
      for (const payload of payloads) {
        const ack = await emitWithAck<{ error?: { code: string; detail: string } }>(
          socket,
          event,
          payload,
        );
        assert.equal(ack.error?.code, 'validation_failed', `${event} ${JSON.stringify(payload)}`);
        assert.equal(typeof ack.error.detail, 'string');
      }
    }
    const onlyAck = (await socket.timeout(10_000).emitWithAck('sync')) as {
      error: { code: string };
    };
    assert.equal(onlyAck.error.code, 'validation_failed', 'an ack without a payload');
    socket.emit('message:send', { chatId: chat.id }); // no ack callback
    socket.emit('no-such-event', { anything: true });

    const stranger = randomUUID();
    for (const [event, payload] of [
      ['message:send', { chatId: stranger, clientMsgId: 'k', content: 'x' }],
      ['message:delivered', { chatId: stranger, upToSeq: 1 }],
      ['typing', { chatId: stranger, typing: true }],
    ] as const) {
      const ack = await emitWithAck<{ error?: { code: string } }>(socket, event, payload);
      assert.equal(ack.error?.code, 'not_found', event);
    }
    const still = await emitWithAck<{ messages: unknown[] }>(socket, 'sync', {
      chats: [{ chatId: chat.id, afterSeq: 0 }],
    });
    assert.equal(still.messages.length, 1, 'the socket still works');
  } finally {
    socket.close();
  }
  const oversized = await connectSocket(instanceB, user.token);
  const closed = new Promise((resolve) => oversized.once('disconnect', resolve));
  oversized.emit('message:send', {
    chatId: chat.id,
    clientMsgId: 'k',
    content: 'x'.repeat(100_000),
  });
  await closed;
  assert.equal(
    (await fetch(`${instanceB}/healthz`)).status,
    200,
    'an oversized frame only drops that socket',
  );
});
