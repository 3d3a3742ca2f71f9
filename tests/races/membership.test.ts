/**
 * Issue 10, "Messaging store integrity": membership changes racing with sends and with each
 * other, across the two messaging instances. End states are read through the public API only.
 */
import { after, before, test } from 'node:test';
import type { Socket } from 'socket.io-client';
import { eventually } from '@messenger/testkit/eventually';
import { forgetChats } from '@messenger/testkit/messaging/cleanup';
import { messagingUrls as instances } from '@messenger/testkit/service-urls';
import { connectSocket, emitWithAck, instanceA, instanceB } from '@messenger/testkit/sockets';
import {
  ROUNDS,
  TEST_TIMEOUT_MS,
  api,
  befriendAll,
  newUsers,
  pick,
  recordMessages,
  runRounds,
  sleep,
  token,
  type Message,
  type User,
} from '@messenger/testkit/races/race-kit';

const chatIds = new Set<string>();
const sockets: Socket[] = [];

after(async () => {
  for (const socket of sockets) socket.close();
  await forgetChats(chatIds);
});

interface Sent {
  message: Message;
  startedAt: number;
}

/** Posts `count` messages one after another with a little jitter; keeps what was acked. */
async function post(
  url: string,
  user: User,
  chatId: string,
  count: number,
  sent: Sent[],
): Promise<void> {
  const as = api(url, token(user));
  for (let i = 0; i < count; i += 1) {
    const startedAt = Date.now();
    const answer = await as.send(chatId, `race ${i}`);
    if (answer.status === 201) sent.push({ message: answer.body, startedAt });
    else throw new Error(`a member's send failed: ${answer.status} ${JSON.stringify(answer.body)}`);
    await sleep(Math.random() * 10);
  }
}

let admin: User;
let victims: User[];
let posters: User[];
/** message:new as received by every victim socket (one per instance per victim). */
const victimInbox = new Map<string, { message: Message; at: number }[][]>();
const victimSockets = new Map<string, Socket[]>();
let adminInbox: { message: Message; at: number }[];

before(async () => {
  [admin] = (await newUsers(1, 'radm')) as [User];
  victims = await newUsers(3, 'rvic');
  posters = await newUsers(4, 'rpost');
  await befriendAll(admin, [...victims, ...posters]);
  for (const victim of victims) {
    const inboxes = [];
    const own: Socket[] = [];
    for (const url of instances) {
      const socket = await connectSocket(url, token(victim));
      sockets.push(socket);
      own.push(socket);
      inboxes.push(recordMessages(socket));
    }
    victimInbox.set(victim.id, inboxes);
    victimSockets.set(victim.id, own);
  }
  const adminSocket = await connectSocket(instanceA, token(admin));
  sockets.push(adminSocket);
  adminInbox = recordMessages(adminSocket);
});

const PER_POSTER = 6;

for (const variant of ['member leaves', 'admin removes member'] as const) {
  test(
    `${variant} while others post on both instances: the removed member is cut off at once`,
    { timeout: TEST_TIMEOUT_MS },
    async () => {
      await runRounds(`removal (${variant})`, ROUNDS, 3, async (index) => {
        const victim = victims[index % victims.length] as User;
        const [p1, p2] = [
          posters[index % posters.length] as User,
          posters[(index + 1) % posters.length] as User,
        ];
        const created = await api(pick(instances), token(admin)).createGroup([
          victim.id,
          p1.id,
          p2.id,
        ]);
        if (created.status !== 201) throw new Error(`create group: ${created.status}`);
        const chatId = created.body.id;
        chatIds.add(chatId);

        const sent: Sent[] = [];
        const removal = { returnedAt: Number.POSITIVE_INFINITY };
        const victimSends: { status: number; startedAt: number }[] = [];
        const victimPosts = (async () => {
          const as = api(pick(instances), token(victim, 1));
          for (let i = 0; i < 20 && Date.now() < removal.returnedAt + 200; i += 1) {
            const startedAt = Date.now();
            const answer = await as.send(chatId, `victim ${i}`);
            victimSends.push({ status: answer.status, startedAt });
            await sleep(Math.random() * 10);
          }
        })();
        const remove = (async () => {
          await sleep(10 + Math.random() * 60);
          const by =
            variant === 'member leaves'
              ? api(pick(instances), token(victim))
              : api(pick(instances), token(admin, 1));
          const answer = await by.removeMember(chatId, victim.id);
          removal.returnedAt = Date.now();
          if (answer.status !== 204)
            throw new Error(`removal: ${answer.status} ${JSON.stringify(answer.body)}`);
        })();
        await Promise.all([
          post(instanceA, p1, chatId, PER_POSTER, sent),
          post(instanceB, p2, chatId, PER_POSTER, sent),
          post(pick(instances), admin, chatId, PER_POSTER / 2, sent),
          remove,
          victimPosts,
        ]);

        // The relay has run: the admin's socket has every acked message.
        const ids = new Set(sent.map((s) => s.message.id));
        await eventually(
          () =>
            [...ids].every((id) => adminInbox.some((r) => r.message.id === id)) ? true : undefined,
          15_000,
          'the admin to get every message live',
        ).catch(() => undefined);
        await sleep(300);

        const problems: string[] = [];
        const late = victimSends.filter(
          (s) => s.startedAt > removal.returnedAt && s.status !== 404,
        );
        if (late.length > 0)
          problems.push(
            `the removed member posted after the removal returned: ${late.map((s) => s.status).join(',')}`,
          );
        for (const url of instances) {
          const as = api(url, token(victim));
          const send = await as.send(chatId, 'after');
          if (send.status !== 404) problems.push(`removed member's send on ${url}: ${send.status}`);
          const history = await as.page(chatId, 'afterSeq=0');
          if (history.status !== 404)
            problems.push(`removed member's history on ${url}: ${history.status}`);
          const chat = await as.chat(chatId);
          if (chat.status !== 404)
            problems.push(`removed member's GET /chats/{id} on ${url}: ${chat.status}`);
        }
        if ((await api(pick(instances), token(victim)).chats()).some((c) => c.id === chatId))
          problems.push('the chat is still in the removed member’s GET /chats');
        for (const socket of victimSockets.get(victim.id) ?? []) {
          const synced = await emitWithAck<{ messages?: Message[] }>(socket, 'sync', {
            chats: [{ chatId, afterSeq: 0 }],
          });
          const leaked = (synced.messages ?? []).filter((m) => m.chatId === chatId);
          if (leaked.length > 0)
            problems.push(`sync gave the removed member ${leaked.length} messages of the chat`);
        }
        const afterRemoval = new Set(
          sent.filter((s) => s.startedAt > removal.returnedAt).map((s) => s.message.id),
        );
        for (const [i, inbox] of (victimInbox.get(victim.id) ?? []).entries()) {
          const leaked = inbox.filter((r) => afterRemoval.has(r.message.id));
          if (leaked.length > 0)
            problems.push(
              `the removed member got message:new on ${instances[i]} for ${leaked.length} of ${afterRemoval.size} messages sent after the removal returned`,
            );
        }
        for (const [url, who] of [
          [instanceA, token(admin)],
          [instanceB, token(admin, 1)],
          [instanceA, token(p2)],
          [instanceB, token(p1)],
        ] as const) {
          const chat = await api(url, who).chat(chatId);
          if (chat.status !== 200) problems.push(`a member's GET /chats/{id}: ${chat.status}`);
          else if (chat.body.members.some((m) => m.userId === victim.id))
            problems.push(`the removed member is still in the members list on ${url}`);
        }
        if (problems.length > 0) throw new Error(problems.join('; '));
      });
    },
  );
}

test(
  'two adds of different members at the same instant, on the two instances: both are members',
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    const [owner] = (await newUsers(1, 'radd')) as [User];
    const pool = await newUsers(8, 'raddm');
    await befriendAll(owner, pool);
    await runRounds('two adds at once', ROUNDS, 4, async (index) => {
      const first = pool[index % pool.length] as User;
      const [x, y] = [
        pool[(index + 1) % pool.length] as User,
        pool[(index + 3) % pool.length] as User,
      ];
      const created = await api(pick(instances), token(owner)).createGroup([first.id]);
      if (created.status !== 201) throw new Error(`create group: ${created.status}`);
      const chatId = created.body.id;
      chatIds.add(chatId);
      const [addX, addY] = await Promise.all([
        api(instanceA, token(owner, 0)).addMember(chatId, x.id),
        api(instanceB, token(owner, 1)).addMember(chatId, y.id),
      ]);
      if (addX.status !== 200 || addY.status !== 200)
        throw new Error(`adds answered ${addX.status} and ${addY.status}`);
      const problems: string[] = [];
      for (const url of instances) {
        const chat = await api(url, token(owner)).chat(chatId);
        const members = new Set(chat.body.members.map((m) => m.userId));
        const missing = [x, y].filter((u) => !members.has(u.id)).length;
        if (missing > 0) problems.push(`${missing} of the 2 added members missing on ${url}`);
      }
      const xSees = await api(instanceB, token(x)).chat(chatId);
      const ySees = await api(instanceA, token(y)).chat(chatId);
      if (xSees.status !== 200 || ySees.status !== 200)
        problems.push(`the added members see the chat: ${xSees.status} and ${ySees.status}`);
      if (problems.length > 0) throw new Error(problems.join('; '));
    });
  },
);
