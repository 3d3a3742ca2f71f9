/**
 * Issue 10, "Messaging store integrity": delivered and read marks of one member written from two
 * devices on the two instances at once. The marks must end at the highest value asked for, the
 * receipts and unread count must agree with them, and every advance must reach Kafka once.
 */
import { after, before, test } from 'node:test';
import type { Socket } from 'socket.io-client';
import { forgetChats } from '@messenger/testkit/messaging/cleanup';
import { messagingUrls as instances } from '@messenger/testkit/service-urls';
import { connectSocket, emitWithAck, instanceA, instanceB } from '@messenger/testkit/sockets';
import {
  ROUNDS,
  TEST_TIMEOUT_MS,
  SeenEvents,
  api,
  befriendAll,
  newUsers,
  pick,
  runRounds,
  sleep,
  token,
  type Message,
  type User,
} from '@messenger/testkit/races/race-kit';

const chatIds = new Set<string>();
const sockets: Socket[] = [];
let seen: SeenEvents;
/** Each round's sender, in turn: one user's rounds stay within its send rate. */
let senders: User[];
let readers: User[];
/** Per reader: device 0's socket on instance A, device 1's on instance B. */
const readerSockets = new Map<string, [Socket, Socket]>();

before(async () => {
  seen = await SeenEvents.start();
  senders = await newUsers(8, 'rmks');
  readers = await newUsers(4, 'rmkr');
  for (const sender of senders) await befriendAll(sender, readers);
  for (const reader of readers) {
    const pair: [Socket, Socket] = [
      await connectSocket(instanceA, token(reader, 0)),
      await connectSocket(instanceB, token(reader, 1)),
    ];
    sockets.push(...pair);
    readerSockets.set(reader.id, pair);
  }
});

after(async () => {
  for (const socket of sockets) socket.close();
  await seen.stop();
  await forgetChats(chatIds);
});

const MESSAGES = 6;

/** A value near the top: two devices often ask for the same seq, as two open apps would. */
const near = (top: number): number => top - Math.floor(Math.random() * 3);

test(
  'delivered and read marks from two devices at once end at the maximum, and reach Kafka once each',
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await runRounds('marks from two devices', ROUNDS, 4, async (index) => {
      const reader = readers[index % readers.length] as User;
      const sender = senders[index % senders.length] as User;
      const [socketA, socketB] = readerSockets.get(reader.id) ?? [];
      if (!socketA || !socketB) throw new Error('no reader sockets');
      const created = await api(pick(instances), token(sender)).createGroup([reader.id]);
      if (created.status !== 201) throw new Error(`create group: ${created.status}`);
      const chatId = created.body.id;
      chatIds.add(chatId);
      let top = 0;
      for (let i = 0; i < MESSAGES; i += 1) {
        const answer = await api(instances[i % 2] ?? instanceA, token(sender)).send(
          chatId,
          `m${i}`,
        );
        if (answer.status !== 201) throw new Error(`send: ${answer.status}`);
        top = Math.max(top, answer.body.seq);
      }
      const delivered = [near(top), near(top)];
      const read = [near(top), near(top)];
      const [ackA, ackB, readB, readA] = await Promise.all([
        emitWithAck(socketA, 'message:delivered', { chatId, upToSeq: delivered[0] }),
        emitWithAck(socketB, 'message:delivered', { chatId, upToSeq: delivered[1] }),
        api(instanceB, token(reader, 1)).read(chatId, read[0] ?? 0),
        api(instanceA, token(reader, 0)).read(chatId, read[1] ?? 0),
      ]);
      if (ackA['ok'] !== true || ackB['ok'] !== true)
        throw new Error(`delivered acks: ${JSON.stringify([ackA, ackB])}`);
      if (readA.status !== 204 || readB.status !== 204)
        throw new Error(`reads answered ${readA.status} and ${readB.status}`);
      const deliveredMark = Math.max(...delivered);
      const readMark = Math.max(...read);

      const problems: string[] = [];
      const as = api(pick(instances), token(sender));
      const bySeq = new Map<number, Message>((await as.history(chatId)).map((m) => [m.seq, m]));
      const receiptsAt = async (seq: number) => {
        const message = bySeq.get(seq);
        if (!message) return undefined;
        const answer = await as.receipts(chatId, message.id);
        if (answer.status !== 200) throw new Error(`receipts: ${answer.status}`);
        return {
          read: answer.body.readBy.some((r) => r.userId === reader.id),
          delivered: answer.body.deliveredTo.some((r) => r.userId === reader.id),
        };
      };
      // Reading implies delivery (docs/api.md receipts): deliveredTo follows the higher of the two.
      const shownDelivered = Math.max(deliveredMark, readMark);
      const atRead = await receiptsAt(readMark);
      const pastRead = await receiptsAt(readMark + 1);
      const atDelivered = await receiptsAt(shownDelivered);
      const pastDelivered = await receiptsAt(shownDelivered + 1);
      if (atRead && !atRead.read)
        problems.push(
          `read mark lost: reads of ${read.join(' and ')} at once, but seq ${readMark} is not in readBy`,
        );
      if (pastRead?.read) problems.push(`seq ${readMark + 1} is in readBy, past every read`);
      if (atDelivered && !atDelivered.delivered)
        problems.push(
          `delivered mark lost: delivered ${delivered.join(' and ')}, read ${read.join(' and ')} at once, but seq ${shownDelivered} is not in deliveredTo`,
        );
      if (pastDelivered?.delivered)
        problems.push(`seq ${shownDelivered + 1} is in deliveredTo, past every mark`);
      const listed = (await api(pick(instances), token(reader)).chats()).find(
        (c) => c.id === chatId,
      );
      if (!listed) problems.push('the chat is not in the reader’s GET /chats');
      else if (listed.unreadCount !== listed.lastSeq - readMark)
        problems.push(
          `unread count ${listed.unreadCount} with lastSeq ${listed.lastSeq} after reads of ${read.join(' and ')} (expected ${listed.lastSeq - readMark})`,
        );

      // Kafka: the highest announced advance is the final mark, each advance announced once.
      for (const [kind, mark] of [
        ['delivered', deliveredMark],
        ['read', readMark],
      ] as const) {
        const deadline = Date.now() + 10_000;
        let events = seen.of(chatId, reader.id, kind);
        while (Math.max(0, ...events.map((e) => e.upToSeq)) < mark && Date.now() < deadline) {
          await sleep(100);
          events = seen.of(chatId, reader.id, kind);
        }
        await sleep(300);
        events = seen.of(chatId, reader.id, kind);
        const highest = Math.max(0, ...events.map((e) => e.upToSeq));
        if (highest !== mark)
          problems.push(
            `the highest ${kind} upToSeq on Kafka is ${highest}, the final mark ${mark} (asked ${(kind === 'read' ? read : delivered).join(' and ')})`,
          );
        const idsBySeq = new Map<number, Set<string>>();
        for (const event of events) {
          const ids = idsBySeq.get(event.upToSeq) ?? new Set<string>();
          ids.add(event.id);
          idsBySeq.set(event.upToSeq, ids);
        }
        for (const [upToSeq, ids] of idsBySeq)
          if (ids.size > 1)
            problems.push(
              `${kind} upToSeq ${upToSeq} announced ${ids.size} times with different event ids (asked ${(kind === 'read' ? read : delivered).join(' and ')})`,
            );
      }
      // Out of the reader's list again, so GET /chats stays small over the rounds.
      await api(pick(instances), token(reader))
        .removeMember(chatId, reader.id)
        .catch(() => undefined);
      if (problems.length > 0) throw new Error(problems.join('; '));
    });
  },
);
