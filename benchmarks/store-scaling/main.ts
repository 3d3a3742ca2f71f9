/**
 * Whether messaging's hot paths stay flat as the messages collection grows: for each stage the
 * collection is filled (directly, with messages of other chats) up to that many stored messages,
 * then a REST send, its live delivery to the other member, a history page and the conversations
 * list are timed through the running services.
 *
 *   node --conditions=source --import tsx benchmarks/store-scaling/main.ts
 *
 * Needs the local stack (`make up`); STAGES (stored messages, default 10000,1000000), SAMPLES
 * (per operation and stage, default 100), CHATS (the user's chats in the list, default 20).
 *
 * The filler stays in the store. The tests' clean-up deletes by chat id, which FerretDB serves by
 * scanning: with a million filler messages each clean-up takes over a minute and test files time
 * out. Start the stack afresh afterwards (`make down && rm -rf .stack/data`).
 */
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { mongoose } from '@messenger/platform';
import { stack } from '@messenger/testkit/stack';
import { directChat, groupChat, send } from '@messenger/testkit/messaging/chats';
import { call } from '@messenger/testkit/http';
import { connectSocket, instanceA, instanceB } from '@messenger/testkit/sockets';
import { befriend } from '@messenger/testkit/social';
import { newUsers } from '@messenger/testkit/users';
import type { Message } from '@messenger/contracts';
import { formatRow, header, summarize } from '../delivery-latency/stats.js';

const stages = (process.env['STAGES'] ?? '10000,1000000').split(',').map(Number);
const samples = Number(process.env['SAMPLES'] ?? 100);
const chatCount = Number(process.env['CHATS'] ?? 20);
const FILLER_CHATS = 1000;
const BATCH = 1000;

async function timed<T>(times: number[], run: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const result = await run();
  times.push(performance.now() - start);
  return result;
}

/** Inserts filler messages (other chats', seqs 1..k each) until the collection holds `target`. */
async function fill(target: number): Promise<number> {
  const connection = await mongoose.createConnection(stack.mongoUrl).asPromise();
  try {
    const messages = connection.collection('messages');
    let stored = await messages.estimatedDocumentCount();
    const chats = Array.from({ length: FILLER_CHATS }, () => ({ id: randomUUID(), seq: 0 }));
    const sender = randomUUID();
    while (stored < target) {
      const docs = Array.from({ length: Math.min(BATCH, target - stored) }, (_, i) => {
        const chat = chats[(stored + i) % FILLER_CHATS] ?? { id: randomUUID(), seq: 0 };
        chat.seq += 1;
        return {
          _id: `${chat.id}:${String(chat.seq).padStart(16, '0')}`,
          id: randomUUID(),
          chatId: chat.id,
          seq: chat.seq,
          type: 'user',
          senderId: sender,
          clientMsgId: randomUUID(),
          content: 'filler '.repeat(10),
          mediaUrl: null,
          system: null,
          createdAt: new Date(),
          traceparent: null,
        };
      });
      await messages.insertMany(docs as never[], { ordered: false });
      stored += docs.length;
      if (stored % 50_000 < BATCH) console.log(`  ${stored} stored`);
    }
    return stored;
  } finally {
    await connection.close();
  }
}

async function main(): Promise<void> {
  const [user, peer] = await newUsers(2, 'scale');
  if (!user || !peer) throw new Error('no users');
  await befriend(user, peer);
  const direct = await directChat(instanceA, user, peer);
  for (let i = 1; i < chatCount; i += 1) await groupChat(instanceA, user, [peer], `g${i}`);
  const socket = await connectSocket(instanceB, peer.token);
  const waiting = new Map<string, () => void>();
  socket.on('message:new', (message: Message) => waiting.get(message.clientMsgId)?.());
  const rows: string[] = [];
  try {
    for (const target of stages) {
      const stored = await fill(target);
      const sendTimes: number[] = [];
      const deliverTimes: number[] = [];
      const historyTimes: number[] = [];
      const listTimes: number[] = [];
      for (let i = 0; i < samples; i += 1) {
        const clientMsgId = randomUUID();
        const start = performance.now();
        const delivered = new Promise<void>((resolve) => waiting.set(clientMsgId, resolve));
        const sent = await send(instanceA, user, direct.id, `m${i}`, clientMsgId);
        if (sent.status !== 201) throw new Error(`send: ${sent.status}`);
        sendTimes.push(performance.now() - start);
        await delivered;
        deliverTimes.push(performance.now() - start);
        waiting.delete(clientMsgId);
        await timed(historyTimes, () =>
          call('GET', `${instanceA}/api/v1/chats/${direct.id}/messages?limit=50`, {
            token: user.token,
          }),
        );
        await timed(listTimes, () =>
          call('GET', `${instanceA}/api/v1/chats?limit=20`, { token: user.token }),
        );
      }
      const load = loadavg()
        .map((l) => l.toFixed(2))
        .join(' ');
      rows.push(`at ${stored} stored messages (load average ${load})`);
      rows.push(formatRow('REST send -> 201', summarize(sendTimes)));
      rows.push(formatRow('send -> recipient message:new', summarize(deliverTimes)));
      rows.push(formatRow('history page (50)', summarize(historyTimes)));
      rows.push(formatRow('conversations list (20 chats)', summarize(listTimes)));
      console.log([header, ...rows.slice(-5)].join('\n'));
    }
  } finally {
    socket.close();
  }
  console.log(['', header, ...rows].join('\n'));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
