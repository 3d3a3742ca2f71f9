import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import type { Message, PresenceStatus } from '@messenger/contracts';
import { eventually } from '@messenger/testkit/eventually';
import { directChat, history } from '@messenger/testkit/messaging/chats';
import { call } from '@messenger/testkit/http';
import { startInstance } from '@messenger/testkit/messaging/instance';
import {
  closeAll,
  connectSocket,
  instanceA,
  instanceB,
  nextEvent,
  record,
} from '@messenger/testkit/sockets';
import { befriend } from '@messenger/testkit/social';
import { newSession, newUsers } from '@messenger/testkit/users';
import { forgetChats } from '@messenger/testkit/messaging/cleanup';
import { consumerGroupMembers, consumerGroupSettled } from '@messenger/testkit/consumer-group';
import { DELIVERY_GROUP } from '../service.js';

after(() => forgetChats());

const TOTAL = 100;
const CRASH_AFTER = 40;

/** Sends over a socket with a short ack timeout; undefined when no ack came (the socket died). */
/** As a client does: waits out `rate_limited` (a hundred sends outrun one user's send rate). */
async function sendOver(socket: Socket, chatId: string, clientMsgId: string) {
  try {
    for (;;) {
      const ack = (await socket
        .timeout(3_000)
        .emitWithAck('message:send', { chatId, clientMsgId, content: clientMsgId })) as {
        message?: Message;
        error?: { code: string };
        retryAfterMs?: number;
      };
      if (ack.error?.code !== 'rate_limited') return ack.message;
      await new Promise((resolve) => setTimeout(resolve, ack.retryAfterMs ?? 1_000));
    }
  } catch {
    return undefined;
  }
}

/** What a client keeps: one message per seq, whichever copy came first. */
function bySeq(messages: Message[]): Message[] {
  const kept = new Map<number, Message>();
  for (const message of messages) if (!kept.has(message.seq)) kept.set(message.seq, message);
  return [...kept.values()].sort((p, q) => p.seq - q.seq);
}

test('an instance crash mid-burst loses no acknowledged message, and its users go offline after the presence TTL', async () => {
  const members = await consumerGroupMembers(DELIVERY_GROUP);
  const doomed = await startInstance({ PRESENCE_TTL_SECONDS: '3' });
  const [sender, recipient] = await newUsers(2);
  await befriend(sender!, recipient!);
  const chat = await directChat(instanceA, sender!, recipient!);
  const recipientOther = await newSession(recipient!.id);
  let sockets: Socket[] = [];
  try {
    // The sender and one of the recipient's devices are on the instance that will crash; the
    // recipient's other device is on a stack instance and stays connected throughout.
    const steady = await connectSocket(instanceA, recipientOther.token);
    const sending = await connectSocket(doomed.url, sender!.token);
    const victim = await connectSocket(doomed.url, recipient!.token);
    sockets = [steady, sending, victim];
    const steadyReceived = record<Message>(steady, 'message:new');
    const victimReceived = record<Message>(victim, 'message:new');
    await eventually(async () => {
      const status = await call<{ statuses: Record<string, PresenceStatus> }>(
        'GET',
        `${instanceB}/api/v1/presence?userIds=${sender!.id}`,
        { token: recipient!.token },
      );
      return status.body.statuses[sender!.id]?.online ? true : undefined;
    });

    const clientMsgIds = Array.from({ length: TOTAL }, () => randomUUID());
    const acked = new Map<string, Message>();
    let crashed: Promise<void> | undefined;
    for (const clientMsgId of clientMsgIds) {
      // The crash lands while the next send is in flight: it may be stored without an ack.
      if (acked.size === CRASH_AFTER) crashed = doomed.crash();
      const message = await sendOver(sending, chat.id, clientMsgId);
      if (!message) break;
      acked.set(clientMsgId, message);
    }
    assert.ok(crashed, 'the crash happened mid-burst');
    await crashed;
    const wentOffline = await nextEvent<{ userId: string; online: boolean }>(
      steady,
      'presence',
      (p) => p.userId === sender!.id,
      15_000,
    );
    assert.equal(wentOffline.online, false, 'the crashed connection lapsed after the TTL');

    // The sender reconnects elsewhere and resends whatever was not acknowledged, same ids.
    const resending = await connectSocket(instanceB, (await newSession(sender!.id)).token);
    sockets.push(resending);
    for (const clientMsgId of clientMsgIds.filter((id) => !acked.has(id))) {
      const message = await sendOver(resending, chat.id, clientMsgId);
      assert.ok(message, 'a stack instance acknowledges');
      acked.set(clientMsgId, message);
    }

    const stored = await history(instanceA, recipient!, chat.id);
    assert.deepEqual(
      stored.map((m) => m.seq),
      Array.from({ length: TOTAL }, (_, i) => i + 1),
      'every message stored once, seqs without gaps',
    );
    const storedIds = new Set(stored.map((m) => m.id));
    for (const message of acked.values()) assert.ok(storedIds.has(message.id));

    // The crashed device reconnects to the other instance and syncs from what it had.
    const live = bySeq(victimReceived);
    const lastSeen = live.findIndex((m, i) => m.seq !== i + 1);
    const afterSeq = lastSeen === -1 ? live.length : lastSeen;
    const back = await connectSocket(instanceB, recipient!.token);
    sockets.push(back);
    const replay = (await back
      .timeout(10_000)
      .emitWithAck('sync', { chats: [{ chatId: chat.id, afterSeq }] })) as {
      messages: Message[];
    };
    assert.deepEqual(
      bySeq([...live.slice(0, afterSeq), ...replay.messages]).map((m) => m.id),
      stored.map((m) => m.id),
    );

    // The device that never disconnected gets everything live, in order, once per message id.
    await eventually(
      () => (bySeq(steadyReceived).length === TOTAL ? true : undefined),
      60_000,
      'live delivery to the steady device',
    );
    const firstCopies = steadyReceived.filter(
      (m, i) => steadyReceived.findIndex((n) => n.id === m.id) === i,
    );
    assert.deepEqual(
      firstCopies.map((m) => m.id),
      stored.map((m) => m.id),
    );
  } finally {
    closeAll(...sockets);
    await doomed.crash();
    await consumerGroupSettled(DELIVERY_GROUP, members);
  }
});
