import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { directChat } from '@messenger/testkit/messaging/chats';
import { forgetChats } from '@messenger/testkit/messaging/cleanup';
import { closeAll, connectSocket, emitWithAck, instanceA } from '@messenger/testkit/sockets';
import { befriend } from '@messenger/testkit/social';
import { newUsers } from '@messenger/testkit/users';

interface Ack {
  message?: { id: string };
  error?: { code: string; detail: string };
}

const sendsPerSocket = 40;

function burst(socket: Socket, chatId: string): Promise<Ack[]> {
  return Promise.all(
    Array.from({ length: sendsPerSocket }, () =>
      emitWithAck<Ack>(socket, 'message:send', {
        chatId,
        clientMsgId: randomUUID(),
        content: 'burst',
      }),
    ),
  );
}

test("more sockets do not buy a user more events: a user's sockets share one budget", async () => {
  const [many, peer, other, otherPeer] = await newUsers(4);
  await Promise.all([befriend(many!, peer!), befriend(other!, otherPeer!)]);
  const chat = await directChat(instanceA, many!, peer!);
  const otherChat = await directChat(instanceA, other!, otherPeer!);
  const sockets = await Promise.all(
    Array.from({ length: 4 }, () => connectSocket(instanceA, many!.token)),
  );
  const otherSocket = await connectSocket(instanceA, other!.token);
  try {
    // Each socket's burst alone fits its own budget (SOCKET_EVENTS_IN_FLIGHT 32 of 40 at once
    // refuses a few); four of them at once exceed what the user may have in flight.
    const [acks, otherAcks] = await Promise.all([
      Promise.all(sockets.map((socket) => burst(socket, chat.id))).then((all) => all.flat()),
      burst(otherSocket, otherChat.id),
    ]);
    const refusedFor = (list: Ack[], from: RegExp) =>
      list.filter((ack) => ack.error?.code === 'rate_limited' && from.test(ack.error.detail));
    const userRefusals = refusedFor(acks, /your connections/).length;
    assert.ok(userRefusals > 0, `no send of the four sockets was refused for the user's budget`);
    // Every event is answered (emitWithAck fails otherwise): stored, refused, or, on a loaded
    // machine, `timeout` after ACK_TIMEOUT_MS.
    const outcomes = new Set(acks.map((ack) => (ack.message ? 'stored' : ack.error?.code)));
    assert.deepEqual(
      [...outcomes].filter((o) => !['stored', 'rate_limited', 'timeout'].includes(o ?? '')),
      [],
    );
    assert.equal(
      refusedFor(otherAcks, /your connections/).length,
      0,
      "another user's socket is not charged for them",
    );
  } finally {
    closeAll(...sockets, otherSocket);
    await forgetChats([chat.id, otherChat.id]);
  }
});
