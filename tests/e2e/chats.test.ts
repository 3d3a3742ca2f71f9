import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Chat, Message } from '@messenger/contracts';
import { emitWithAck, nextEvent } from '@messenger/testkit/sockets';
import {
  befriend,
  call,
  connectSocket,
  register,
  type TestUser,
} from '@messenger/testkit/gateway/app-client';

async function directChat(a: TestUser, b: TestUser): Promise<Chat> {
  const created = await call<Chat>('POST', '/chats', {
    token: a.accessToken,
    body: { type: 'direct', userId: b.id },
  });
  assert.ok(created.status === 201 || created.status === 200, JSON.stringify(created.body));
  return created.body;
}

function send(user: TestUser, chatId: string, content: string, clientMsgId = randomUUID()) {
  return call<Message>('POST', `/chats/${chatId}/messages`, {
    token: user.accessToken,
    body: { clientMsgId, content },
  });
}

test('a direct chat needs friendship, is unique per pair, and is hidden from others', async () => {
  const [a, b, stranger] = await Promise.all([register('dm'), register('dm'), register('dm')]);
  const refused = await call('POST', '/chats', {
    token: a.accessToken,
    body: { type: 'direct', userId: b.id },
  });
  assert.equal(refused.status, 403);
  assert.equal(refused.body['code'], 'not_friends');
  await befriend(a, b);
  const chat = await directChat(a, b);
  const again = await call<Chat>('POST', '/chats', {
    token: b.accessToken,
    body: { type: 'direct', userId: a.id },
  });
  assert.equal(again.status, 200);
  assert.equal(again.body.id, chat.id);
  assert.equal(
    (await call('GET', `/chats/${chat.id}`, { token: stranger.accessToken })).status,
    404,
  );
  assert.equal(
    (await call('GET', `/chats/${chat.id}/messages`, { token: stranger.accessToken })).status,
    404,
  );
  assert.equal((await send(stranger, chat.id, 'hi')).status, 404);
});

test('messages get gap-free seqs, retries are no-ops, and history pages in order', async () => {
  const [a, b] = await Promise.all([register('seq'), register('seq')]);
  await befriend(a, b);
  const chat = await directChat(a, b);
  const clientMsgId = randomUUID();
  const first = await send(a, chat.id, 'one', clientMsgId);
  assert.equal(first.status, 201);
  assert.equal(first.body.seq, 1);
  const retry = await send(a, chat.id, 'one', clientMsgId);
  assert.equal(retry.status, 200);
  assert.equal(retry.body.id, first.body.id);
  for (const content of ['two', 'three', 'four']) await send(b, chat.id, content);
  const page = await call<{ items: Message[]; nextCursor: string | null }>(
    'GET',
    `/chats/${chat.id}/messages?afterSeq=1&limit=2`,
    { token: a.accessToken },
  );
  assert.deepEqual(
    page.body.items.map((m) => m.seq),
    [2, 3],
  );
  const before = await call<{ items: Message[] }>('GET', `/chats/${chat.id}/messages?beforeSeq=4`, {
    token: b.accessToken,
  });
  assert.deepEqual(
    before.body.items.map((m) => m.content),
    ['one', 'two', 'three'],
  );
});

test('a message sent over REST reaches sockets on both messaging instances, exactly once', async () => {
  const [a, b] = await Promise.all([register('live'), register('live')]);
  await befriend(a, b);
  const chat = await directChat(a, b);
  // Consecutive connections through the gateway go to the messaging instances in turn.
  const sockets = [
    await connectSocket(b.accessToken),
    await connectSocket(b.accessToken),
    await connectSocket(a.accessToken),
  ];
  try {
    const received = sockets.map(() => [] as Message[]);
    sockets.forEach((socket, index) =>
      socket.on('message:new', (message: Message) => received[index]?.push(message)),
    );
    const sent = await send(a, chat.id, 'hello live');
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    for (const list of received) {
      assert.deepEqual(
        list.filter((m) => m.chatId === chat.id).map((m) => m.id),
        [sent.body.id],
        "each device of both members (the sender's too) gets it once",
      );
    }
  } finally {
    for (const socket of sockets) socket.disconnect();
  }
});

test('socket send acks the stored message; receipts and unread counts follow delivered and read marks', async () => {
  const [a, b] = await Promise.all([register('rcpt'), register('rcpt')]);
  await befriend(a, b);
  const chat = await directChat(a, b);
  const sender = await connectSocket(a.accessToken);
  const reader = await connectSocket(b.accessToken);
  try {
    const ack = await emitWithAck<{ message: Message }>(sender, 'message:send', {
      chatId: chat.id,
      clientMsgId: randomUUID(),
      content: 'over the socket',
    });
    assert.equal(ack.message.seq, 1);
    await send(a, chat.id, 'second');
    const unread = await call<{ items: Chat[] }>('GET', '/chats', { token: b.accessToken });
    const listed = unread.body.items.find((c) => c.id === chat.id);
    assert.ok(listed);
    assert.equal(listed.unreadCount, 2);
    assert.equal(listed.lastMessage?.content, 'second');

    const delivered = nextEvent<{ kind: string; upToSeq: number; userId: string }>(
      sender,
      'message:receipt',
      (r) => r.kind === 'delivered',
    );
    assert.deepEqual(
      await emitWithAck(reader, 'message:delivered', { chatId: chat.id, upToSeq: 2 }),
      { ok: true },
    );
    assert.deepEqual(
      { ...(await delivered), at: undefined },
      { chatId: chat.id, userId: b.id, upToSeq: 2, kind: 'delivered', at: undefined },
    );

    const read = nextEvent<{ kind: string; upToSeq: number }>(
      sender,
      'message:receipt',
      (r) => r.kind === 'read',
    );
    assert.equal(
      (await call('POST', `/chats/${chat.id}/read`, { token: b.accessToken, body: { upToSeq: 1 } }))
        .status,
      204,
    );
    assert.equal((await read).upToSeq, 1);
    const after = await call<{ items: Chat[] }>('GET', '/chats', { token: b.accessToken });
    assert.equal(after.body.items.find((c) => c.id === chat.id)?.unreadCount, 1);
    const receipts = await call<{
      deliveredTo: { userId: string }[];
      readBy: { userId: string }[];
    }>('GET', `/chats/${chat.id}/messages/${ack.message.id}/receipts`, { token: a.accessToken });
    assert.deepEqual(
      receipts.body.deliveredTo.map((r) => r.userId),
      [b.id],
    );
    assert.deepEqual(
      receipts.body.readBy.map((r) => r.userId),
      [b.id],
    );
  } finally {
    sender.disconnect();
    reader.disconnect();
  }
});

test('typing reaches the other member only; presence goes online and offline for friends', async () => {
  const [a, b] = await Promise.all([register('typing'), register('typing')]);
  await befriend(a, b);
  const chat = await directChat(a, b);
  const watcher = await connectSocket(b.accessToken);
  try {
    const online = nextEvent<{ userId: string; online: boolean }>(
      watcher,
      'presence',
      (p) => p.userId === a.id && p.online,
    );
    const typist = await connectSocket(a.accessToken);
    await online;
    const status = await call<{ statuses: Record<string, { online: boolean }> }>(
      'GET',
      `/presence?userIds=${a.id}`,
      { token: b.accessToken },
    );
    assert.equal(status.body.statuses[a.id]?.online, true);
    const typing = nextEvent<{ chatId: string; userId: string; typing: boolean }>(
      watcher,
      'typing',
      (t) => t.chatId === chat.id,
    );
    let echoed = false;
    typist.on('typing', () => (echoed = true));
    assert.deepEqual(await emitWithAck(typist, 'typing', { chatId: chat.id, typing: true }), {
      ok: true,
    });
    assert.deepEqual(await typing, { chatId: chat.id, userId: a.id, typing: true });
    const offline = nextEvent<{ userId: string; online: boolean; lastSeenAt: string }>(
      watcher,
      'presence',
      (p) => p.userId === a.id && !p.online,
    );
    typist.disconnect();
    assert.ok((await offline).lastSeenAt);
    assert.equal(echoed, false, 'the typist does not get its own typing event');
  } finally {
    watcher.disconnect();
  }
});

test('after a reconnect, sync replays every message missed, in order', async () => {
  const [a, b] = await Promise.all([register('sync'), register('sync')]);
  await befriend(a, b);
  const chat = await directChat(a, b);
  await send(a, chat.id, 'seen live');
  for (const content of ['missed 1', 'missed 2', 'missed 3']) await send(a, chat.id, content);
  const socket = await connectSocket(b.accessToken);
  try {
    const replay = await emitWithAck<{ messages: Message[] }>(socket, 'sync', {
      chats: [{ chatId: chat.id, afterSeq: 1 }],
    });
    assert.deepEqual(
      replay.messages.map((m) => [m.seq, m.content]),
      [
        [2, 'missed 1'],
        [3, 'missed 2'],
        [4, 'missed 3'],
      ],
    );
  } finally {
    socket.disconnect();
  }
});

test('group chats: only admins add members, and only their friends', async () => {
  const [admin, friend, other, outsider] = await Promise.all([
    register('grp'),
    register('grp'),
    register('grp'),
    register('grp'),
  ]);
  await befriend(admin, friend);
  await befriend(admin, other);
  const group = await call<Chat>('POST', '/chats', {
    token: admin.accessToken,
    body: { type: 'group', name: 'team', memberIds: [friend.id] },
  });
  assert.equal(group.status, 201);
  assert.deepEqual(
    group.body.members.map((m) => [m.userId, m.role]).sort(),
    [
      [admin.id, 'admin'],
      [friend.id, 'member'],
    ].sort(),
  );
  const byMember = await call('POST', `/chats/${group.body.id}/members`, {
    token: friend.accessToken,
    body: { userId: other.id },
  });
  assert.equal(byMember.status, 403);
  const notFriend = await call('POST', `/chats/${group.body.id}/members`, {
    token: admin.accessToken,
    body: { userId: outsider.id },
  });
  assert.equal(notFriend.status, 403);
  const added = await call<Chat>('POST', `/chats/${group.body.id}/members`, {
    token: admin.accessToken,
    body: { userId: other.id },
  });
  assert.equal(added.status, 200);
  assert.equal(added.body.members.length, 3);
  assert.equal(
    (
      await call('DELETE', `/chats/${group.body.id}/members/${other.id}`, {
        token: friend.accessToken,
      })
    ).status,
    403,
  );
  assert.equal(
    (
      await call('DELETE', `/chats/${group.body.id}/members/${friend.id}`, {
        token: friend.accessToken,
      })
    ).status,
    204,
    'a member may leave',
  );
  assert.equal(
    (await call('GET', `/chats/${group.body.id}`, { token: friend.accessToken })).status,
    404,
  );
});

test('a block or an unfriending stops direct messages at once', async () => {
  const [a, b] = await Promise.all([register('stop'), register('stop')]);
  await befriend(a, b);
  const chat = await directChat(a, b);
  assert.equal((await send(a, chat.id, 'before')).status, 201);
  await call('POST', `/blocks/${a.id}`, { token: b.accessToken });
  const blocked = await send(a, chat.id, 'after block');
  assert.equal(blocked.status, 403);
  assert.equal((blocked.body as unknown as { code: string }).code, 'blocked');
  await call('DELETE', `/blocks/${a.id}`, { token: b.accessToken });
  const unfriended = await send(a, chat.id, 'after unblock, not friends any more');
  assert.equal(unfriended.status, 403);
  assert.equal((unfriended.body as unknown as { code: string }).code, 'not_friends');
});
