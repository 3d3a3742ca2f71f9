import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { directChat, history } from '@messenger/testkit/messaging/chats';
import {
  connectSocket,
  emitWithAck,
  instanceA,
  instanceB,
  refusal,
} from '@messenger/testkit/sockets';
import { befriend } from '@messenger/testkit/social';
import { newUsers } from '@messenger/testkit/users';
import { forgetChats } from '@messenger/testkit/messaging/cleanup';

interface Ack {
  message?: { seq: number; clientMsgId: string };
  error?: { code: string };
}

test('a socket flooding sends is refused at once, then cut off, and others are served', async (t) => {
  const [flooder, peer, calm, friend] = await newUsers(4);
  await Promise.all([befriend(flooder!, peer!), befriend(calm!, friend!)]);
  const floodChat = await directChat(instanceA, flooder!, peer!);
  const calmChat = await directChat(instanceA, calm!, friend!);
  const flooding = await connectSocket(instanceA, flooder!.token);
  const calmSocket = await connectSocket(instanceA, calm!.token);
  const cutOff = new Promise<string>((resolve) => flooding.once('disconnect', resolve));
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
    // Never answered once the server has closed the socket: those end as `undefined`.
    const flood = Array.from({ length: 1000 }, (_, i) =>
      emitWithAck<Ack>(flooding, 'message:send', {
        chatId: floodChat.id,
        clientMsgId: `flood-${i}`,
        content: `flood ${i}`,
      }).catch(() => undefined),
    );
    const during: number[] = [];
    for (let i = 0; i < 10; i += 1) during.push(await calmSend()); // each asserts its ack
    assert.equal(await cutOff, 'io server disconnect', 'the server closed the flooding socket');
    const again = await refusal(instanceB, flooder!.token);
    assert.equal((again.data as { code?: string }).code, 'rate_limited', 'and refuses it a while');
    const acks = await Promise.all(flood);
    const floodSeconds = (performance.now() - started) / 1000;

    const answered = acks.filter((ack) => ack !== undefined);
    const limited = answered.filter((ack) => ack.error?.code === 'rate_limited').length;
    const stored = answered.filter((ack) => ack.message).length;
    assert.equal(limited + stored, answered.length, 'every answer is stored or rate_limited');
    assert.ok(limited > 200, `${limited} refused before the cut-off (bound 200 in 10 s)`);
    // The send rate (5 a second and 30 more in 10 s, docs/api.md) holds whatever the events.
    const windows = (seconds: number) => Math.ceil(floodSeconds / seconds) + 1;
    assert.ok(stored <= 5 * windows(1) + 30 * windows(10), `${stored} of 1000 stored`);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    // Figures, not assertions: timing belongs to benchmarks.
    t.diagnostic(
      `flood answered in ${floodSeconds.toFixed(1)} s (${answered.length} answers, ${stored} stored, then cut off); calm send median ${median(quiet).toFixed(0)} ms before, ${median(during).toFixed(0)} ms during`,
    );
    const storedIds = new Set(
      (await history(instanceA, flooder!, floodChat.id)).map((m) => m.clientMsgId),
    );
    for (const ack of answered)
      if (ack.message) assert.ok(storedIds.has(ack.message.clientMsgId), 'an acked send is stored');
  } finally {
    flooding.close();
    calmSocket.close();
    await forgetChats([floodChat.id, calmChat.id]);
  }
});
