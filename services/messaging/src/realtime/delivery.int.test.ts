import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Message } from '@messenger/contracts';
import { eventually } from '@messenger/testkit/eventually';
import { directChat, groupChat, send } from '@messenger/testkit/messaging/chats';
import {
  closeAll,
  connectSocket,
  emitWithAck,
  instanceA,
  instanceB,
  nextEvent,
  record,
} from '@messenger/testkit/sockets';
import { befriend } from '@messenger/testkit/social';
import { newSession, newUsers, type TestUser } from '@messenger/testkit/users';
import { forgetChats } from '@messenger/testkit/messaging/cleanup';

after(() => forgetChats());

const settle = (ms = 1_000) => new Promise((resolve) => setTimeout(resolve, ms));

test('a message sent through one instance reaches every device of every member, once', async () => {
  const [a, b] = await newUsers(2);
  await befriend(a!, b!);
  const chat = await directChat(instanceA, a!, b!);
  const bOther = await newSession(b!.id);
  const aOther = await newSession(a!.id);
  const sockets = await Promise.all([
    connectSocket(instanceA, b!.token),
    connectSocket(instanceB, bOther.token),
    connectSocket(instanceA, a!.token),
    connectSocket(instanceB, aOther.token),
  ]);
  try {
    const received = sockets.map((socket) => record<Message>(socket, 'message:new'));
    const sent = await send(instanceB, a!, chat.id, 'hello across instances');
    assert.equal(sent.status, 201);
    await eventually(() => (received.every((list) => list.length > 0) ? true : undefined));
    await settle();
    for (const list of received) assert.deepEqual(list, [sent.body]);
  } finally {
    closeAll(...sockets);
  }
});

test('a burst of 200 messages reaches the recipient each exactly once, in seq order', async () => {
  // Eight members send 25 each, within one user's send rate (docs/api.md, "Real time").
  const [b, ...senders] = (await newUsers(9)) as [TestUser, ...TestUser[]];
  await Promise.all(senders.map((sender) => befriend(b, sender)));
  const chat = await groupChat(instanceA, b, senders);
  const recipient = await connectSocket(instanceA, b.token);
  try {
    const received = record<Message>(recipient, 'message:new');
    const total = 200;
    let next = 0;
    // Ten sends in flight at a time, alternating between the instances.
    await Promise.all(
      Array.from({ length: 10 }, async (_, lane) => {
        while (next < total) {
          const index = (next += 1);
          const answer = await send(
            lane % 2 ? instanceA : instanceB,
            senders[index % senders.length]!,
            chat.id,
            `burst ${index}`,
          );
          assert.equal(answer.status, 201);
        }
      }),
    );
    await eventually(() => (received.length >= total ? true : undefined), 30_000, 'the burst');
    await settle();
    assert.deepEqual(
      received.map((m) => m.seq),
      Array.from({ length: total }, (_, i) => i + 1),
    );
    assert.equal(new Set(received.map((m) => m.id)).size, total);
  } finally {
    recipient.close();
  }
});

test('a group message reaches all members; typing reaches the other members only', async () => {
  const [admin, x, y, outsider] = await newUsers(4);
  await Promise.all([befriend(admin!, x!), befriend(admin!, y!), befriend(x!, outsider!)]);
  const group = await groupChat(instanceB, admin!, [x!, y!]);
  const adminOther = await newSession(admin!.id);
  const [adminSocket, adminOtherSocket, xSocket, ySocket, outsiderSocket] = await Promise.all([
    connectSocket(instanceA, admin!.token),
    connectSocket(instanceA, adminOther.token),
    connectSocket(instanceB, x!.token),
    connectSocket(instanceA, y!.token),
    connectSocket(instanceB, outsider!.token),
  ]);
  const all = [adminSocket, adminOtherSocket, xSocket, ySocket, outsiderSocket];
  try {
    const typing = all.map((socket) => record<{ chatId: string }>(socket, 'typing'));
    const messages = all.map((socket) => record<Message>(socket, 'message:new'));
    const ack = await emitWithAck(adminSocket, 'typing', { chatId: group.id, typing: true });
    assert.deepEqual(ack, { ok: true });
    assert.deepEqual(await emitWithAck(adminSocket, 'typing', { chatId: group.id, typing: true }), {
      ok: true,
    });
    await eventually(() => (typing[2]!.length > 0 && typing[3]!.length > 0 ? true : undefined));
    const sent = await send(instanceA, y!, group.id, 'hi all');
    await eventually(() => (messages.slice(0, 4).every((l) => l.length > 0) ? true : undefined));
    await settle();
    assert.deepEqual(typing[2], [{ chatId: group.id, userId: admin!.id, typing: true }]);
    assert.equal(typing[3]!.length, 1, 'a repeated "typing" within the throttle is not forwarded');
    assert.equal(
      typing[0]!.length + typing[1]!.length,
      0,
      'not to the typist, not to their devices',
    );
    assert.equal(typing[4]!.length, 0, 'not to non-members');
    for (const list of messages.slice(0, 4)) assert.deepEqual(list, [sent.body]);
    assert.deepEqual(messages[4], [], 'non-members get nothing');
  } finally {
    closeAll(...all);
  }
});

test('socket sends ack the stored message; delivered and read marks push receipts and set unread', async () => {
  const [a, b] = await newUsers(2);
  await befriend(a!, b!);
  const chat = await directChat(instanceA, a!, b!);
  const sender = await connectSocket(instanceA, a!.token);
  const reader = await connectSocket(instanceB, b!.token);
  try {
    const clientMsgId = randomUUID();
    const ack = await emitWithAck<{ message: Message }>(sender, 'message:send', {
      chatId: chat.id,
      clientMsgId,
      content: 'over the socket',
    });
    assert.equal(ack.message.seq, 1);
    assert.equal(ack.message.senderId, a!.id);
    const again = await emitWithAck<{ message: Message }>(sender, 'message:send', {
      chatId: chat.id,
      clientMsgId,
      content: 'over the socket',
    });
    assert.deepEqual(again.message, ack.message);
    const second = await send(instanceB, a!, chat.id, 'second');

    const unread = async (user: typeof a) => {
      const chats = await fetch(`${instanceB}/api/v1/chats`, {
        headers: { authorization: `Bearer ${user!.token}` },
      });
      const body = (await chats.json()) as { items: { id: string; unreadCount: number }[] };
      return body.items.find((c) => c.id === chat.id);
    };
    assert.equal((await unread(b))?.unreadCount, 2);
    assert.equal((await unread(a))?.unreadCount, 0, "one's own messages are read");

    const delivered = nextEvent<Record<string, unknown>>(
      sender,
      'message:receipt',
      (r) => r['kind'] === 'delivered',
    );
    assert.deepEqual(
      await emitWithAck(reader, 'message:delivered', { chatId: chat.id, upToSeq: 2 }),
      { ok: true },
    );
    const receipt = await delivered;
    assert.deepEqual(
      { ...receipt, at: undefined },
      { chatId: chat.id, userId: b!.id, upToSeq: 2, kind: 'delivered', at: undefined },
    );

    const read = nextEvent<Record<string, unknown>>(
      sender,
      'message:receipt',
      (r) => r['kind'] === 'read',
    );
    const marked = await fetch(`${instanceA}/api/v1/chats/${chat.id}/read`, {
      method: 'POST',
      headers: { authorization: `Bearer ${b!.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ upToSeq: 1 }),
    });
    assert.equal(marked.status, 204);
    assert.equal((await read)['upToSeq'], 1);
    assert.equal((await unread(b))?.unreadCount, 1);

    const receiptsOf = async (messageId: string) => {
      const response = await fetch(
        `${instanceA}/api/v1/chats/${chat.id}/messages/${messageId}/receipts`,
        { headers: { authorization: `Bearer ${a!.token}` } },
      );
      return (await response.json()) as {
        deliveredTo: { userId: string }[];
        readBy: { userId: string }[];
      };
    };
    const first = await receiptsOf(ack.message.id);
    assert.deepEqual(
      first.deliveredTo.map((r) => r.userId),
      [b!.id],
    );
    assert.deepEqual(
      first.readBy.map((r) => r.userId),
      [b!.id],
    );
    const latest = await receiptsOf(second.body.id);
    assert.deepEqual(
      latest.deliveredTo.map((r) => r.userId),
      [b!.id],
    );
    assert.deepEqual(latest.readBy, []);
  } finally {
    closeAll(sender, reader);
  }
});

test('sync returns every message after the given seqs, in order, for chats the user is in', async () => {
  const [a, b, c] = await newUsers(3);
  await Promise.all([befriend(a!, b!), befriend(a!, c!)]);
  const chat = await directChat(instanceA, a!, b!);
  const other = await directChat(instanceB, a!, c!);
  for (const content of ['one', 'two', 'three', 'four'])
    await send(instanceA, a!, chat.id, content);
  await send(instanceB, c!, other.id, 'not yours');
  const socket = await connectSocket(instanceB, b!.token);
  try {
    const replay = await emitWithAck<{ messages: Message[] }>(socket, 'sync', {
      chats: [
        { chatId: chat.id, afterSeq: 1 },
        { chatId: other.id, afterSeq: 0 },
      ],
    });
    assert.deepEqual(
      replay.messages.map((m) => [m.chatId, m.seq, m.content]),
      [
        [chat.id, 2, 'two'],
        [chat.id, 3, 'three'],
        [chat.id, 4, 'four'],
      ],
    );
  } finally {
    socket.close();
  }
});
