/**
 * Issue 10, "Messaging store integrity": two instances sending into one chat while a member
 * reads. Once the senders are done, every member's conversations list (GET /chats) must show the
 * chat's true last message and the right unread count, on both instances.
 */
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { Socket } from 'socket.io-client';
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

/** Users on each side: with three rounds at once, each sends about 2 messages a second. */
const SENDERS = 8;
const chatIds = new Set<string>();
const sockets: Socket[] = [];
/** Each round's group admin and REST sender, in turn: one user's rounds stay within its send rate. */
let admins: User[];
let senders: User[];
let readers: User[];
const senderSockets = new Map<string, Socket>();
const readerInbox = new Map<string, { message: Message; at: number }[]>();

before(async () => {
  admins = await newUsers(SENDERS, 'rcva');
  senders = await newUsers(SENDERS, 'rcvs');
  readers = await newUsers(3, 'rcvr');
  for (const admin of admins) await befriendAll(admin, [...senders, ...readers]);
  for (const user of senders) {
    const socket = await connectSocket(instanceB, token(user));
    sockets.push(socket);
    senderSockets.set(user.id, socket);
  }
  for (const [i, user] of readers.entries()) {
    const socket = await connectSocket(instances[i % 2] ?? instanceA, token(user));
    sockets.push(socket);
    readerInbox.set(user.id, recordMessages(socket));
  }
});

after(async () => {
  for (const socket of sockets) socket.close();
  await forgetChats(chatIds);
});

const PER_SENDER = 8;
const CONVERGE_MS = 5_000;

test(
  'two instances sending while members read: GET /chats shows the true last message and unread counts',
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await runRounds('conversations list after concurrent sends', ROUNDS, 3, async (index) => {
      const s1 = admins[index % admins.length] as User;
      const s2 = senders[index % senders.length] as User;
      const reader = readers[index % readers.length] as User;
      const created = await api(pick(instances), token(s1)).createGroup([s2.id, reader.id]);
      if (created.status !== 201) throw new Error(`create group: ${created.status}`);
      const chatId = created.body.id;
      chatIds.add(chatId);
      const own = new Map<string, number>([
        [s1.id, 0],
        [s2.id, 0],
      ]);
      const noteSent = (userId: string, message: Message) =>
        own.set(userId, Math.max(own.get(userId) ?? 0, message.seq));

      const state = { sending: true };
      const restSender = (async () => {
        const as = api(instanceA, token(s1));
        for (let i = 0; i < PER_SENDER; i += 1) {
          const answer = await as.send(chatId, `a${i}`);
          if (answer.status !== 201) throw new Error(`REST send: ${answer.status}`);
          noteSent(s1.id, answer.body);
          await sleep(Math.random() * 8);
        }
      })();
      const socketSender = (async () => {
        const socket = senderSockets.get(s2.id);
        if (!socket) throw new Error('no sender socket');
        for (let i = 0; i < PER_SENDER; i += 1) {
          const ack = await emitWithAck<{ message?: Message }>(socket, 'message:send', {
            chatId,
            clientMsgId: randomUUID(),
            content: `b${i}`,
          });
          if (!ack.message) throw new Error(`socket send: ${JSON.stringify(ack)}`);
          noteSent(s2.id, ack.message);
          await sleep(Math.random() * 8);
        }
      })();
      // The reader marks read whatever it has received live, from either instance, as it comes.
      let readUpTo = 0;
      const reading = (async () => {
        const inbox = readerInbox.get(reader.id) ?? [];
        while (state.sending) {
          const newest = Math.max(
            0,
            ...inbox.filter((r) => r.message.chatId === chatId).map((r) => r.message.seq),
          );
          if (newest > readUpTo) {
            const answer = await api(pick(instances), token(reader)).read(chatId, newest);
            if (answer.status !== 204) throw new Error(`read: ${answer.status}`);
            readUpTo = Math.max(readUpTo, newest);
          }
          await sleep(15);
        }
      })();
      try {
        await Promise.all([restSender, socketSender]);
      } finally {
        state.sending = false;
        await reading;
      }

      try {
        let last = '';
        const deadline = Date.now() + CONVERGE_MS;
        for (;;) {
          const history = await api(instanceA, token(s1)).history(chatId);
          const problems: string[] = [];
          const seqs = history.map((m) => m.seq);
          if (seqs.some((seq, i) => seq !== i + 1))
            problems.push(`history seqs not 1..n: ${seqs.join(',')}`);
          const newest = history.at(-1);
          const lastSeq = newest?.seq ?? 0;
          const views = [
            [s1, own.get(s1.id) ?? 0],
            [s2, own.get(s2.id) ?? 0],
            [reader, readUpTo],
          ] as const;
          const lists = await Promise.all(
            views.flatMap(([user]) => instances.map((url) => api(url, token(user)).chats())),
          );
          for (const [v, [user, seen]] of views.entries()) {
            for (const [i, url] of instances.entries()) {
              const listed = lists[v * instances.length + i]?.find((c) => c.id === chatId);
              const who = user === reader ? 'the reader' : 'a sender';
              if (!listed) {
                problems.push(`the chat is missing from ${who}'s GET /chats on ${url}`);
                continue;
              }
              if (listed.lastMessage?.id !== newest?.id || listed.lastSeq !== lastSeq)
                problems.push(
                  `${who}'s GET /chats on ${url} shows last message seq ${listed.lastMessage?.seq ?? 'none'} (lastSeq ${listed.lastSeq}), history ends at ${lastSeq}`,
                );
              const expected = Math.max(0, lastSeq - seen);
              if (listed.unreadCount !== expected)
                problems.push(
                  `${who}'s unread count on ${url} is ${listed.unreadCount}, expected ${expected} (lastSeq ${lastSeq}, ${user === reader ? 'read' : 'own last message'} ${seen})`,
                );
            }
          }
          if (problems.length === 0) return;
          last = problems.join('; ');
          if (Date.now() > deadline)
            throw new Error(`not converged after ${CONVERGE_MS} ms: ${last}`);
          await sleep(250);
        }
      } finally {
        // Out of the lists again, so GET /chats stays small over the rounds.
        for (const user of [reader, s2, s1])
          await api(pick(instances), token(user))
            .removeMember(chatId, user.id)
            .catch(() => undefined);
      }
    });
  },
);
