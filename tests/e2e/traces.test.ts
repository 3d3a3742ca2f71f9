// One trace per message and per login, read back from the stack's Jaeger: the spans, the services
// that wrote them and their parent links, with the chat id and seq named and the content never.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { topics, type Message } from '@messenger/contracts';
import { ATTR_CHAT_ID, ATTR_MESSAGE_SEQ } from '@messenger/platform';
import { eventually } from '@messenger/testkit/eventually';
import {
  befriend,
  call,
  connectSocket,
  register,
  type TestUser,
} from '@messenger/testkit/gateway/app-client';
import { ancestorsOf, findTraceIds, traceWhen, type TraceSpan } from '@messenger/testkit/jaeger';
import { emitWithAck, nextEvent } from '@messenger/testkit/sockets';
import { uniqueNickname } from '@messenger/testkit/users';

const EVENT_NAME = 'messaging.socket.io.event_name';
const PUBLISH = `${topics.message.name} publish`;
const PROCESS = `${topics.message.name} process`;

async function directChat(a: TestUser, b: TestUser): Promise<string> {
  await befriend(a, b);
  const created = await call<{ id: string }>('POST', '/chats', {
    token: a.accessToken,
    body: { type: 'direct', userId: b.id },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return created.body.id;
}

/** The trace id of a response's `traceparent` (the gateway returns its own). */
function traceIdOf(headers: Headers): string {
  const [, traceId] =
    /^00-([0-9a-f]{32})-[0-9a-f]{16}-0[01]$/.exec(headers.get('traceparent') ?? '') ?? [];
  assert.ok(traceId, `traceparent: ${headers.get('traceparent')}`);
  return traceId;
}

function one(spans: TraceSpan[], what: string, match: (span: TraceSpan) => boolean): TraceSpan {
  const found = spans.filter(match);
  assert.equal(found.length, 1, `${what}: ${found.length} spans in ${describe(spans)}`);
  return found[0]!;
}

function describe(spans: TraceSpan[]): string {
  return spans.map((s) => `${s.service}:${s.kind}:${s.name}`).join(', ');
}

/**
 * The trace holds the spans of both ends: where the message came in (`origins`), the relay's
 * publish and the delivery. Each process exports its spans in its own batches, and the delivering
 * instance may export before the one that took the message.
 */
function deliveredIn(message: Message, origins: ((span: TraceSpan) => boolean)[]) {
  return (spans: TraceSpan[]) =>
    origins.every((origin) => spans.some(origin)) &&
    spans.some(isInsert) &&
    spans.some(isEmitOf(message)) &&
    spans.some((s) => s.name === PUBLISH && s.attributes['messaging.message.id'] === message.id) &&
    spans.some((s) => s.name === PROCESS);
}

function isInsert(span: TraceSpan): boolean {
  return span.attributes['db.system.name'] === 'mongodb' && span.name === 'save messages';
}

function isSendHandler(span: TraceSpan): boolean {
  return span.kind === 'consumer' && span.attributes[EVENT_NAME] === 'message:send';
}

function isMessagingRequest(span: TraceSpan): boolean {
  return span.service === 'messaging' && span.kind === 'server';
}

function isEmitOf(message: Message) {
  return (span: TraceSpan) =>
    span.kind === 'producer' &&
    span.attributes[EVENT_NAME] === 'message:new' &&
    span.attributes[ATTR_CHAT_ID] === message.chatId;
}

/**
 * Back from the emit to the recipient's room: it continued the delivery consumer's span, which
 * continued the relay's publish of this message, which descends from the handler; the consumer
 * and the emit name the chat and seq. (A redelivery or a republish after a crash would add
 * spans beside these, never break this chain.)
 */
function assertDeliveryChain(
  spans: TraceSpan[],
  message: Message,
  recipient: TestUser,
  handler: TraceSpan,
): void {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const emit = one(spans, 'the emit of message:new', isEmitOf(message));
  assert.equal(emit.service, 'messaging');
  assert.equal(emit.attributes[ATTR_MESSAGE_SEQ], message.seq);
  assert.match(String(emit.attributes['messaging.socket.io.rooms']), new RegExp(recipient.id));
  const consume = byId.get(emit.parentId ?? '');
  assert.equal(consume?.name, PROCESS, 'the emit continues the delivery consumer');
  assert.equal(consume.service, 'messaging');
  assert.equal(consume.kind, 'consumer');
  assert.equal(consume.attributes[ATTR_CHAT_ID], message.chatId);
  assert.equal(consume.attributes[ATTR_MESSAGE_SEQ], message.seq);
  const publish = byId.get(consume.parentId ?? '');
  assert.equal(publish?.name, PUBLISH, 'the consumer continues the relay publish');
  assert.equal(publish.kind, 'producer');
  assert.equal(publish.attributes['messaging.message.id'], message.id);
  assert.ok(
    ancestorsOf(publish, spans).some((s) => s.spanId === handler.spanId),
    `the publish descends from ${handler.name}`,
  );
}

function assertNoContent(spans: TraceSpan[], content: string): void {
  for (const span of spans) {
    for (const [key, value] of Object.entries(span.attributes)) {
      assert.ok(!String(value).includes(content), `${span.name} carries the content in ${key}`);
    }
  }
}

test('a message sent over the socket is one trace, from the handler to the emit to the recipient', async () => {
  const [a, b] = await Promise.all([register('trace'), register('trace')]);
  const chatId = await directChat(a, b);
  const [sender, recipient] = await Promise.all([
    connectSocket(a.accessToken),
    connectSocket(b.accessToken),
  ]);
  try {
    const content = `socket-${randomUUID()}`;
    const arrived = nextEvent<Message>(recipient, 'message:new', (m) => m.chatId === chatId);
    const ack = await emitWithAck<{ message: Message }>(sender, 'message:send', {
      chatId,
      clientMsgId: randomUUID(),
      content,
    });
    await arrived;
    const { message } = ack;
    const [traceId] = await eventually(
      async () => {
        const ids = await findTraceIds('messaging', { [ATTR_CHAT_ID]: chatId });
        return ids.length > 0 ? ids : undefined;
      },
      30_000,
      'the message in Jaeger',
    );
    const spans = await traceWhen(
      traceId!,
      deliveredIn(message, [isSendHandler]),
      'the handler and delivery spans',
    );

    const handler = one(spans, 'the message:send handler', isSendHandler);
    assert.equal(handler.service, 'messaging');
    assert.equal(handler.attributes[ATTR_CHAT_ID], chatId);
    assert.equal(handler.attributes[ATTR_MESSAGE_SEQ], message.seq);
    const insert = one(spans, 'the MongoDB insert', isInsert);
    assert.ok(ancestorsOf(insert, spans).some((s) => s.spanId === handler.spanId));
    assertDeliveryChain(spans, message, b, handler);
    assertNoContent(spans, content);
    // Every span of this message is in this one trace: no other trace names its chat.
    assert.deepEqual(await findTraceIds('messaging', { [ATTR_CHAT_ID]: chatId }), [traceId]);
  } finally {
    sender.close();
    recipient.close();
  }
});

test('a message sent over REST is one trace from the gateway to the emit to the recipient', async () => {
  const [a, b] = await Promise.all([register('trace'), register('trace')]);
  const chatId = await directChat(a, b);
  const recipient = await connectSocket(b.accessToken);
  try {
    const content = `rest-${randomUUID()}`;
    const arrived = nextEvent<Message>(recipient, 'message:new', (m) => m.chatId === chatId);
    const sent = await call<Message>('POST', `/chats/${chatId}/messages`, {
      token: a.accessToken,
      body: { clientMsgId: randomUUID(), content },
    });
    assert.equal(sent.status, 201);
    await arrived;
    const spans = await traceWhen(
      traceIdOf(sent.headers),
      deliveredIn(sent.body, [isMessagingRequest, (s) => s.service === 'gateway']),
      'the request and delivery spans',
    );

    const edge = one(spans, 'the gateway request', (s) => s.service === 'gateway' && !s.parentId);
    assert.equal(edge.kind, 'server');
    const server = one(spans, 'the messaging request', isMessagingRequest);
    assert.ok(ancestorsOf(server, spans).some((s) => s.spanId === edge.spanId));
    const insert = one(spans, 'the MongoDB insert', isInsert);
    assert.ok(ancestorsOf(insert, spans).some((s) => s.spanId === server.spanId));
    assertDeliveryChain(spans, sent.body, b, server);
    assertNoContent(spans, content);
  } finally {
    recipient.close();
  }
});

test('a login is one trace: gateway, auth, session and their PostgreSQL queries', async () => {
  const user = await register('trace');
  const login = await call('POST', '/auth/login', {
    body: { email: user.email, password: user.password },
  });
  assert.equal(login.status, 200);
  const isSessionQuery = (s: TraceSpan) =>
    s.service === 'session' && s.attributes['db.system.name'] === 'postgresql';
  const spans = await traceWhen(
    traceIdOf(login.headers),
    (s) =>
      s.some(isSessionQuery) &&
      ['gateway', 'auth'].every((name) => s.some((span) => span.service === name)),
    'the session queries',
  );

  const edge = one(spans, 'the gateway request', (s) => s.service === 'gateway' && !s.parentId);
  const auth = one(spans, 'the auth request', (s) => s.service === 'auth' && s.kind === 'server');
  assert.ok(ancestorsOf(auth, spans).some((s) => s.spanId === edge.spanId));
  const session = one(
    spans,
    'the session request',
    (s) => s.service === 'session' && s.kind === 'server',
  );
  const call_ = one(
    spans,
    'the call from auth',
    (s) => s.service === 'auth' && s.kind === 'client' && s.spanId === session.parentId,
  );
  assert.ok(ancestorsOf(call_, spans).some((s) => s.spanId === auth.spanId));
  assert.ok(
    spans.filter(isSessionQuery).every((q) => ancestorsOf(q, spans).includes(session)),
    'every session query runs inside its request',
  );
  assert.ok(
    spans.some((s) => s.service === 'auth' && s.attributes['db.system.name'] === 'postgresql'),
    'auth read the credentials from PostgreSQL',
  );
});

test("a registration's user.created, relayed by auth and consumed by profile, continues its trace", async () => {
  const nickname = uniqueNickname('trace');
  const registered = await call('POST', '/auth/register', {
    body: { email: `${nickname}@example.com`, password: `pw-${randomUUID()}`, nickname },
  });
  assert.equal(registered.status, 201);
  const USER_PUBLISH = `${topics.user.name} publish`;
  const USER_PROCESS = `${topics.user.name} process`;
  const spans = await traceWhen(
    traceIdOf(registered.headers),
    (s) =>
      s.some((span) => span.name === USER_PROCESS && span.service === 'profile') &&
      s.some((span) => span.name === USER_PUBLISH && span.service === 'auth'),
    "auth's publish and profile's consumer span",
  );

  const request = one(
    spans,
    'the auth request',
    (s) => s.service === 'auth' && s.kind === 'server',
  );
  const publish = one(
    spans,
    'the relay publish',
    (s) => s.service === 'auth' && s.name === USER_PUBLISH,
  );
  assert.ok(
    ancestorsOf(publish, spans).some((s) => s.spanId === request.spanId),
    "the outbox record kept the request as the publish span's ancestor",
  );
  const consume = one(
    spans,
    "profile's consumer",
    (s) => s.service === 'profile' && s.name === USER_PROCESS,
  );
  assert.equal(consume.parentId, publish.spanId);
});
