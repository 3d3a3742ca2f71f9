import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { directChat, history } from '@messenger/testkit/messaging/chats';
import { connectSocket, emitWithAck, instanceA } from '@messenger/testkit/sockets';
import { befriend } from '@messenger/testkit/social';
import { newUsers } from '@messenger/testkit/users';
import { forgetChats } from '@messenger/testkit/messaging/cleanup';

interface Ack {
  message?: { seq: number; clientMsgId: string };
  error?: { code: string };
}

test('a socket flooding sends is answered rate_limited at once and others are served', async (t) => {
  const [flooder, peer, calm, friend] = await newUsers(4);
  await Promise.all([befriend(flooder!, peer!), befriend(calm!, friend!)]);
  const floodChat = await directChat(instanceA, flooder!, peer!);
  const calmChat = await directChat(instanceA, calm!, friend!);
  const flooding = await connectSocket(instanceA, flooder!.token);
  const calmSocket = await connectSocket(instanceA, calm!.token);
  try {
    const calmSend = async () => {
      const start = performance.now();
      const ack = await emitWithAck<Ack>(calmSocket, 'message:send', {
        chatId: calmChat.id,
        clientMsgId: randomUUID(),
        content: 'calm',
      });
      assert.ok(ack.message, JSON.stringify(ack));
      return performance.now() - start;
    };
    const quiet: number[] = [];
    for (let i = 0; i < 10; i += 1) quiet.push(await calmSend());

    const started = performance.now();
    const flood = Array.from({ length: 1000 }, (_, i) =>
      emitWithAck<Ack>(flooding, 'message:send', {
        chatId: floodChat.id,
        clientMsgId: `flood-${i}`,
        content: `flood ${i}`,
      }),
    );
    const during: number[] = [];
    for (let i = 0; i < 10; i += 1) during.push(await calmSend()); // each asserts its ack
    const acks = await Promise.all(flood);
    const floodSeconds = (performance.now() - started) / 1000;

    const limited = acks.filter((ack) => ack.error?.code === 'rate_limited').length;
    const stored = acks.filter((ack) => ack.message).length;
    assert.equal(limited + stored, 1000, 'every event is answered, stored or rate_limited');
    assert.ok(limited >= 500, `${limited} of 1000 refused`);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    // Figures, not assertions: timing belongs to benchmarks.
    t.diagnostic(
      `flood answered in ${floodSeconds.toFixed(1)} s; calm send median ${median(quiet).toFixed(0)} ms before, ${median(during).toFixed(0)} ms during`,
    );
    const storedIds = new Set(
      (await history(instanceA, flooder!, floodChat.id)).map((m) => m.clientMsgId),
    );
    for (const ack of acks)
      if (ack.message) assert.ok(storedIds.has(ack.message.clientMsgId), 'an acked send is stored');
  } finally {
    flooding.close();
    calmSocket.close();
    await forgetChats([floodChat.id, calmChat.id]);
  }
});
