/**
 * The abusive client, as a process of its own (so its loop does not slow the measuring one): one
 * socket through the gateway emitting `message:send` at RATE per second for SECONDS, never
 * waiting for an ack and reconnecting whenever the server cuts it off, then printing one JSON
 * line of how the acks came back.
 *   node --import tsx tests/chaos/flood-client.ts TOKEN CHAT_ID RATE SECONDS
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { connectSocket } from '@messenger/testkit/gateway/app-client';

const [token = '', chatId = '', rate = '1000', seconds = '10'] = process.argv.slice(2);
const counts: Record<string, number> = { emitted: 0, stored: 0, rateLimited: 0, timeouts: 0 };
const count = (what: string) => (counts[what] = (counts[what] ?? 0) + 1);

async function main(): Promise<void> {
  const socket = await connectSocket(token);
  const end = Date.now() + Number(seconds) * 1000;
  // A determined abuser: cut off by the server, it connects again at once, and again when that
  // is refused.
  socket.on('disconnect', (reason) => {
    if (reason !== 'io server disconnect') return;
    count('cutOffs');
    socket.connect();
  });
  socket.on('connect_error', () => {
    count('refusedConnects');
    if (Date.now() < end) setTimeout(() => socket.connect(), 20);
  });
  const tickMs = 20;
  const perTick = Math.max(1, Math.round((Number(rate) * tickMs) / 1000));
  const pending: Promise<void>[] = [];
  while (Date.now() < end) {
    for (let i = 0; i < perTick; i += 1) {
      count('emitted');
      pending.push(
        socket
          .timeout(10_000)
          .emitWithAck('message:send', { chatId, clientMsgId: randomUUID(), content: 'flood' })
          .then(
            (answer: { message?: unknown; error?: { code: string } }) => {
              if (answer.message) count('stored');
              else if (answer.error?.code === 'rate_limited') count('rateLimited');
              else count(`error ${answer.error?.code ?? 'without a code'}`);
            },
            () => {
              count('timeouts');
            },
          ),
      );
    }
    await sleep(tickMs);
  }
  await Promise.all(pending);
  socket.close();
  console.log(JSON.stringify(counts));
}

void main();
