/**
 * Issue 10, "Messaging store integrity": 5 × RACE_ROUNDS messages (at least 200; 1,000 in the full
 * run) in bursts across both instances into one group chat. Every acked message is delivered
 * live exactly once to each connected device of each member, the chat's seqs are gap-free, and
 * history is what was acked.
 */
import { randomUUID } from 'node:crypto';
import { after, test } from 'node:test';
import type { Socket } from 'socket.io-client';
import { forgetChats } from '@messenger/testkit/messaging/cleanup';
import { messagingUrls as instances } from '@messenger/testkit/service-urls';
import { connectSocket, emitWithAck } from '@messenger/testkit/sockets';
import {
  ROUNDS,
  TEST_TIMEOUT_MS,
  api,
  befriendAll,
  isUserMessage,
  newUsers,
  recordMessages,
  runRounds,
  sleep,
  token,
  type Message,
  type User,
} from '@messenger/testkit/races/race-kit';

const TOTAL = Math.max(200, 5 * ROUNDS);
const MEMBERS = 8;
const BURST = 40;
/** A burst every second: five sends per member, the sustained send rate of docs/api.md. */
const BURST_EVERY_MS = 1_000;
const DELIVERY_MS = 60_000;

const chatIds = new Set<string>();
const sockets: Socket[] = [];

after(async () => {
  for (const socket of sockets) socket.close();
  await forgetChats(chatIds);
});

test(
  `${TOTAL} messages in bursts across both instances: each delivered live exactly once to every device, seqs gap-free`,
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    const [admin, ...rest] = (await newUsers(MEMBERS, 'rbst')) as [User, ...User[]];
    await befriendAll(admin, rest);
    const members = [admin, ...rest];
    const created = await api(instances[0] ?? '', token(admin)).createGroup(rest.map((u) => u.id));
    if (created.status !== 201) throw new Error(`create group: ${created.status}`);
    const chatId = created.body.id;
    chatIds.add(chatId);
    // Every member has a device on each instance.
    const inboxes: { name: string; inbox: { message: Message }[] }[] = [];
    const senderSockets: Socket[] = [];
    for (const [m, member] of members.entries()) {
      for (const [d, url] of instances.entries()) {
        const socket = await connectSocket(url, token(member, d));
        sockets.push(socket);
        inboxes.push({ name: `member ${m} on ${url}`, inbox: recordMessages(socket) });
        senderSockets.push(socket);
      }
    }

    await runRounds(`burst of ${TOTAL}`, 1, 1, async () => {
      const acked = new Map<string, Message>();
      for (let start = 0; start < TOTAL; start += BURST) {
        const burstAt = Date.now();
        const sends = [];
        for (let i = start; i < Math.min(TOTAL, start + BURST); i += 1) {
          const member = members[i % members.length] as User;
          const device = Math.floor(i / members.length) % 2;
          const content = `burst ${i}`;
          const clientMsgId = randomUUID();
          if (i % 3 === 0) {
            // Over the socket of that device.
            const socket = senderSockets[(i % members.length) * 2 + device] as Socket;
            sends.push(
              emitWithAck<{ message?: Message }>(socket, 'message:send', {
                chatId,
                clientMsgId,
                content,
              }).then((ack) => {
                if (!ack.message) throw new Error(`socket send: ${JSON.stringify(ack)}`);
                return ack.message;
              }),
            );
          } else {
            sends.push(
              api(instances[device] ?? '', token(member, device))
                .send(chatId, content, clientMsgId)
                .then((answer) => {
                  if (answer.status !== 201)
                    throw new Error(`send: ${answer.status} ${JSON.stringify(answer.body)}`);
                  return answer.body;
                }),
            );
          }
        }
        for (const message of await Promise.all(sends)) acked.set(message.id, message);
        await sleep(Math.max(20, burstAt + BURST_EVERY_MS - Date.now()));
      }

      const problems: string[] = [];
      const ackedSeqs = new Set([...acked.values()].map((m) => m.seq));
      if (ackedSeqs.size !== acked.size)
        problems.push(`${acked.size - ackedSeqs.size} acked messages share a seq`);

      // Live delivery: wait until every device has every acked message (or the deadline), then a
      // little longer so late duplicates show.
      const countsOf = (inbox: { message: Message }[]) => {
        const counts = new Map<string, number>();
        for (const { message } of inbox)
          if (message.chatId === chatId && isUserMessage(message))
            counts.set(message.id, (counts.get(message.id) ?? 0) + 1);
        return counts;
      };
      const deadline = Date.now() + DELIVERY_MS;
      while (
        Date.now() < deadline &&
        !inboxes.every(({ inbox }) => {
          const counts = countsOf(inbox);
          return [...acked.keys()].every((id) => counts.has(id));
        })
      )
        await sleep(200);
      await sleep(1_000);
      for (const { name, inbox } of inboxes) {
        const counts = countsOf(inbox);
        const missing = [...acked.keys()].filter((id) => !counts.has(id)).length;
        const twice = [...counts.values()].filter((n) => n > 1).length;
        const unknown = [...counts.keys()].filter((id) => !acked.has(id)).length;
        if (missing || twice || unknown)
          problems.push(
            `${name}: ${missing} of ${acked.size} never delivered live, ${twice} delivered more than once, ${unknown} not acked`,
          );
      }

      for (const [d, url] of instances.entries()) {
        const history = await api(url, token(members[1] as User, d)).history(chatId);
        const seqs = history.map((m) => m.seq);
        const gaps = seqs.filter((seq, i) => seq !== i + 1).length;
        if (gaps > 0)
          problems.push(`history on ${url}: ${gaps} seqs out of place in 1..${history.length}`);
        const users = history.filter(isUserMessage);
        const inHistory = new Set(users.map((m) => m.id));
        const lost = [...acked.keys()].filter((id) => !inHistory.has(id)).length;
        const extra = users.filter((m) => !acked.has(m.id)).length;
        const changed = users.filter((m) => {
          const ack = acked.get(m.id);
          return ack && (ack.seq !== m.seq || ack.content !== m.content);
        }).length;
        if (lost || extra || changed)
          problems.push(
            `history on ${url}: ${lost} acked messages missing, ${extra} not acked, ${changed} differ from their ack`,
          );
      }
      if (problems.length > 0) throw new Error(problems.join('; '));
    });
  },
);
