/**
 * End-to-end delivery latency of the messaging service: senders emit `message:send` over
 * Socket.IO to one instance at a fixed total rate, each at most 4 a second (under one user's send
 * rate), each in its direct chat with the recipient, who listens on the other instance. For
 * each message it records the ack (stored) and the recipient's `message:new`, through the outbox
 * relay, Kafka, the delivery consumer and the Redis adapter. The floor is the Socket.IO round trip
 * of an ack that touches no store (`sync` of no chats), measured in the same run.
 *
 *   node --conditions=source --import tsx benchmarks/delivery-latency/main.ts
 *
 * Needs the two messaging instances (MESSAGING_URLS) and session, profile and contact running;
 * RATE (messages/s, default 50), DURATION_SECONDS (default 20), FLOOR_SAMPLES (default 200).
 */
import { randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import type { Socket } from 'socket.io-client';
import type { Message } from '@messenger/contracts';
import { directChat } from '@messenger/testkit/messaging/chats';
import { forgetChats } from '@messenger/testkit/messaging/cleanup';
import { connectSocket, instanceA, instanceB } from '@messenger/testkit/sockets';
import { befriend } from '@messenger/testkit/social';
import { newUsers } from '@messenger/testkit/users';
import { formatRow, header, summarize } from './stats.js';

const rate = Number(process.env['RATE'] ?? 50);
const durationSeconds = Number(process.env['DURATION_SECONDS'] ?? 20);
const floorSamples = Number(process.env['FLOOR_SAMPLES'] ?? 200);
const DRAIN_MS = 30_000;

interface Trip {
  sentAt: number;
  ackedAt?: number;
  receivedAt?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function roundTrips(socket: Socket, samples: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < samples; i += 1) {
    const start = performance.now();
    await socket.timeout(5_000).emitWithAck('sync', { chats: [] });
    times.push(performance.now() - start);
  }
  return times;
}

/** A sender's socket and its chat with the recipient. */
interface Lane {
  socket: Socket;
  chatId: string;
}

/** Users' sends per second, under their send rate (docs/api.md, "Real time"). */
const PER_SENDER_RATE = 4;

/**
 * Sends `count` messages at `perSecond` in all, open loop, taking the lanes in turn; resolves
 * once every ack and receipt is in.
 */
async function run(
  lanes: Lane[],
  recipient: Socket,
  perSecond: number,
  count: number,
): Promise<Map<string, Trip>> {
  const trips = new Map<string, Trip>();
  const byMessageId = new Map<string, Trip>();
  const early = new Map<string, number>();
  const onMessage = (message: Message) => {
    const now = performance.now();
    const trip = byMessageId.get(message.id);
    if (trip) trip.receivedAt ??= now;
    else early.set(message.id, now);
  };
  recipient.on('message:new', onMessage);
  const start = performance.now();
  const acks: Promise<void>[] = [];
  for (let i = 0; i < count; i += 1) {
    const due = start + (i * 1000) / perSecond;
    await sleep(Math.max(0, due - performance.now()));
    const clientMsgId = randomUUID();
    const trip: Trip = { sentAt: performance.now() };
    trips.set(clientMsgId, trip);
    const lane = lanes[i % lanes.length];
    if (!lane) throw new Error('no senders');
    const { socket, chatId } = lane;
    acks.push(
      (
        socket.timeout(10_000).emitWithAck('message:send', {
          chatId,
          clientMsgId,
          content: `benchmark ${i}`,
        }) as Promise<{ message?: Message }>
      ).then(
        ({ message }) => {
          if (!message) return;
          trip.ackedAt = performance.now();
          byMessageId.set(message.id, trip);
          trip.receivedAt ??= early.get(message.id);
        },
        () => undefined,
      ),
    );
  }
  await Promise.all(acks);
  const deadline = performance.now() + DRAIN_MS;
  while (
    [...trips.values()].some((t) => t.ackedAt && !t.receivedAt) &&
    performance.now() < deadline
  )
    await sleep(50);
  recipient.off('message:new', onMessage);
  return trips;
}

async function main(): Promise<void> {
  const [recipient, ...senders] = await newUsers(1 + Math.ceil(rate / PER_SENDER_RATE), 'bench');
  if (!recipient) throw new Error('no users');
  const lanes: Lane[] = await Promise.all(
    senders.map(async (sender) => {
      await befriend(sender, recipient);
      const chat = await directChat(instanceA, sender, recipient);
      return { socket: await connectSocket(instanceA, sender.token), chatId: chat.id };
    }),
  );
  const receiving = await connectSocket(instanceB, recipient.token);
  try {
    await run(lanes, receiving, Math.min(10, rate), 20); // warm-up
    const floor = await roundTrips(receiving, floorSamples);
    const loadBefore = loadavg()[0] ?? 0;
    const trips = [...(await run(lanes, receiving, rate, rate * durationSeconds)).values()];
    const loadAfter = loadavg()[0] ?? 0;
    const acked = trips.flatMap(({ sentAt, ackedAt, receivedAt }) =>
      ackedAt === undefined ? [] : [{ sentAt, ackedAt, receivedAt }],
    );
    const received = acked.flatMap(({ sentAt, ackedAt, receivedAt }) =>
      receivedAt === undefined ? [] : [{ sentAt, ackedAt, receivedAt }],
    );
    console.log(
      `delivery latency: ${rate} msg/s for ${durationSeconds} s from ${lanes.length} senders on ${instanceA}, recipient on ${instanceB}`,
    );
    console.log(
      `machine: ${cpus().length} CPUs, load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after`,
    );
    console.log(
      `sent ${trips.length}, acknowledged ${acked.length}, received ${received.length}, lost ${acked.length - received.length}`,
    );
    console.log(header);
    console.log(formatRow('floor: no-op ack round trip', summarize(floor)));
    console.log(
      formatRow('send -> ack (stored)', summarize(acked.map((t) => t.ackedAt - t.sentAt))),
    );
    console.log(
      formatRow(
        'ack -> recipient receipt',
        summarize(received.map((t) => t.receivedAt - t.ackedAt)),
      ),
    );
    console.log(
      formatRow(
        'send -> recipient receipt',
        summarize(received.map((t) => t.receivedAt - t.sentAt)),
      ),
    );
  } finally {
    for (const { socket } of lanes) socket.close();
    receiving.close();
    await forgetChats(lanes.map((lane) => lane.chatId));
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
