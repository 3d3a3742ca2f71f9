// A socket that stops reading while it keeps asking: its client asks `sync` for a chat's 200
// largest messages again and again and never reads an answer. The instance cuts it off once more
// than SOCKET_MAX_QUEUED_BYTES (4 MiB) is queued for it, instead of holding the memory for as
// long as the connection lives; a socket of the same user that reads is served all along.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Socket as NetSocket } from 'node:net';
import type { Socket } from 'socket.io-client';
import { eventually } from '@messenger/testkit/eventually';
import { groupChat, send } from '@messenger/testkit/messaging/chats';
import { forgetChats } from '@messenger/testkit/messaging/cleanup';
import { closeAll, connectSocket, emitWithAck, instanceA } from '@messenger/testkit/sockets';
import { befriend } from '@messenger/testkit/social';
import { newSession, newUsers, type TestUser } from '@messenger/testkit/users';

const LARGEST = 'x'.repeat(4_000);

async function slowConsumerCutOffs(): Promise<number> {
  const text = await (await fetch(new URL('/metrics', instanceA))).text();
  const line = text
    .split('\n')
    .find((l) => l.startsWith('messaging_socket_cutoffs_total{reason="slow_consumer"'));
  return Number(line?.split(' ').at(-1) ?? 0);
}

/**
 * Stops reading the socket's TCP connection, so what the server sends stays queued: the
 * websocket's reader is detached (it would resume a merely paused stream) and the stream paused.
 */
function stopReading(socket: Socket): void {
  const transport = socket.io.engine.transport as unknown as { ws?: { _socket?: NetSocket } };
  const tcp = transport.ws?._socket;
  assert.ok(tcp, 'a websocket transport over TCP');
  tcp.removeAllListeners('data');
  tcp.pause();
}

test('a socket that does not read is cut off once 4 MiB is queued for it', async () => {
  const [reader, ...senders] = (await newUsers(9)) as [TestUser, ...TestUser[]];
  await Promise.all(senders.map((sender) => befriend(reader, sender)));
  const chat = await groupChat(instanceA, reader, senders);
  // 200 messages of 4,000 characters, 25 per sender (within one user's send rate).
  for (let round = 0; round < 25; round += 1)
    await Promise.all(senders.map((sender) => send(instanceA, sender, chat.id, LARGEST)));
  const before = await slowConsumerCutOffs();
  const stalled = await connectSocket(instanceA, reader.token);
  const reading = await connectSocket(instanceA, (await newSession(reader.id)).token);
  try {
    stopReading(stalled);
    const request = { chats: [{ chatId: chat.id, afterSeq: 0 }] };
    // About 0.8 MB per answer: 60 of them outgrow the kernel's buffers (about 4 MB here) and the
    // bound. Paced, so they stay within the socket's events in flight and are all answered.
    for (let i = 0; i < 60; i += 1) {
      stalled.emit('sync', request, () => undefined);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await eventually(
      async () => ((await slowConsumerCutOffs()) > before ? true : undefined),
      // Sixty reads of 200 large messages take the store a while on a loaded machine.
      60_000,
      'the slow consumer cut off',
    );
    const answer = await emitWithAck<{ messages: unknown[] }>(reading, 'sync', request);
    assert.equal(answer.messages.length, 200, 'the socket that reads is served');
    assert.ok(reading.connected, 'and stays connected');
  } finally {
    closeAll(stalled, reading);
    await forgetChats([chat.id]);
  }
});
