/**
 * Issue 16, "Chat features": edits, deletes, reactions and role changes racing each other across
 * the two messaging instances (RACE_ROUNDS rounds each). The local MongoDB-compatible server
 * loses concurrent updates of one document; these assert that no change rests on that.
 */
import { after, before, test } from 'node:test';
import type { Socket } from 'socket.io-client';
import { mongoose } from '@messenger/platform';
import { eventually } from '@messenger/testkit/eventually';
import { forgetChats } from '@messenger/testkit/messaging/cleanup';
import { connectSocket, emitWithAck, instanceA, instanceB } from '@messenger/testkit/sockets';
import { call } from '@messenger/testkit/http';
import {
  ROUNDS,
  TEST_TIMEOUT_MS,
  api,
  befriendAll,
  expectStatus,
  newUsers,
  runRounds,
  token,
  type Message,
  type User,
} from '@messenger/testkit/races/race-kit';
import { stack } from '@messenger/testkit/stack';

interface Reaction {
  emoji: string;
  count: number;
  me: boolean;
}
type Changed = Omit<Message, 'content'> & {
  content: string | null;
  deleted: boolean;
  editedAt: string | null;
  reactions: Reaction[];
};
interface Update {
  message: Changed;
  changeSeq: number | null;
}

const chatIds = new Set<string>();
const sockets: Socket[] = [];
let connection: mongoose.Connection;

before(async () => {
  connection = await mongoose.createConnection(stack.mongoUrl).asPromise();
});

after(async () => {
  for (const socket of sockets) socket.close();
  await connection.close();
  await forgetChats(chatIds);
});

async function groupOf(users: User[]): Promise<string> {
  const [admin, ...rest] = users as [User, ...User[]];
  await befriendAll(admin, rest);
  const created = await api(instanceA, token(admin)).createGroup(rest.map((u) => u.id));
  expectStatus(created, [201], 'create group');
  chatIds.add(created.body.id);
  return created.body.id;
}

function change(url: string, user: User, method: string, path: string, body?: unknown) {
  return call(method, `${url}/api/v1${path}`, { token: token(user), body });
}

/**
 * The message as a device that had it before any change syncs it: from change 0, page after page
 * as a client follows `more` (the chat's changes outgrow one page over many rounds).
 */
async function syncedFromStart(
  socket: Socket,
  chatId: string,
  message: Message,
): Promise<Message | undefined> {
  let afterSeq = message.seq;
  let afterChangeSeq = 0;
  let synced: Message | undefined;
  for (let page = 0; page < 100; page += 1) {
    const ack = await emitWithAck<{
      updated: Message[];
      chats: { upToSeq: number; changeSeq: number; more: boolean }[];
    }>(socket, 'sync', { chats: [{ chatId, afterSeq, afterChangeSeq }] });
    synced = ack.updated.find((m) => m.id === message.id) ?? synced;
    const [cursor] = ack.chats;
    if (!cursor?.more) return synced;
    ({ upToSeq: afterSeq, changeSeq: afterChangeSeq } = cursor);
  }
  throw new Error(`sync of chat ${chatId} still had more after 100 pages`);
}

/** The last `message:updated` (highest changeSeq) a socket heard for each message. */
function recordUpdates(socket: Socket): Map<string, Update> {
  const latest = new Map<string, Update>();
  socket.on('message:updated', (update: Update) => {
    const known = latest.get(update.message.id);
    if (!known || (update.changeSeq ?? 0) > (known.changeSeq ?? 0))
      latest.set(update.message.id, update);
  });
  return latest;
}

test(
  `an edit racing a delete for everyone never brings the text back (${ROUNDS} rounds)`,
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    const [author, admin] = (await newUsers(2, 'rchg')) as [User, User];
    const chatId = await groupOf([admin, author]);
    const messages = connection.collection('messages');
    const changes = connection.collection('changes');
    await runRounds('edit vs delete', ROUNDS, 4, async (round) => {
      const sent = await api(instanceA, token(author)).send(chatId, `secret ${round}`);
      expectStatus(sent, [201], 'send');
      const path = `/chats/${chatId}/messages/${sent.body.id}`;
      const deleter = round % 2 === 0 ? author : admin;
      const [edits, deleted] = await Promise.all([
        Promise.all(
          [instanceA, instanceB].map((url, i) =>
            change(url, author, 'PATCH', path, { content: `edit ${round}.${i}` }),
          ),
        ),
        change(round % 2 === 0 ? instanceB : instanceA, deleter, 'DELETE', `${path}?for=everyone`),
      ]);
      expectStatus(deleted, [204], 'delete');
      for (const edit of edits) expectStatus(edit, [200, 409], 'edit');
      const problems: string[] = [];
      const history = await api(instanceB, token(admin)).history(chatId);
      const shown = history.find((m) => m.id === sent.body.id) as unknown as Changed | undefined;
      if (!shown?.deleted || shown.content !== null)
        problems.push(`history shows ${JSON.stringify(shown?.content)}`);
      const stored = await messages.findOne({ id: sent.body.id });
      if (stored?.['content'] !== '' || stored['deleted'] !== true)
        problems.push(`the store keeps ${JSON.stringify(stored?.['content'])}`);
      const kept = await changes.countDocuments({
        messageId: sent.body.id,
        kind: 'edited',
        content: { $ne: null },
      });
      if (kept > 0) problems.push(`${kept} edits keep their text`);
      if (problems.length > 0) throw new Error(problems.join('; '));
    });
  },
);

test(
  `racing edits from two devices: every member's last update, history and sync agree (${ROUNDS} rounds)`,
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    const [author, reader] = (await newUsers(2, 'rchg')) as [User, User];
    const chatId = await groupOf([author, reader]);
    const listeners = await Promise.all(
      [instanceA, instanceB].map((url) =>
        connectSocket(url, token(reader, url === instanceA ? 0 : 1)),
      ),
    );
    sockets.push(...listeners);
    const heard = listeners.map(recordUpdates);
    await runRounds('edit vs edit', ROUNDS, 4, async (round) => {
      const sent = await api(instanceA, token(author)).send(chatId, `draft ${round}`);
      expectStatus(sent, [201], 'send');
      const path = `/chats/${chatId}/messages/${sent.body.id}`;
      const answers = await Promise.all(
        [instanceA, instanceB, instanceA, instanceB].map((url, i) =>
          change(url, author, 'PATCH', path, { content: `final ${round}.${i}` }),
        ),
      );
      for (const answer of answers) expectStatus(answer, [200], 'edit');
      const stored = await eventually(
        async () => {
          const history = await api(instanceB, token(reader)).history(chatId);
          const shown = history.find((m) => m.id === sent.body.id);
          const last = heard.map((updates) => updates.get(sent.body.id)?.message.content);
          return shown && last.every((content) => content === shown.content) ? shown : undefined;
        },
        20_000,
        `round ${round}: every device's last update shows what history shows`,
      );
      const synced = await syncedFromStart(listeners[0] as Socket, chatId, sent.body);
      if (synced?.content !== stored.content)
        throw new Error(`sync shows ${synced?.content}, history ${stored.content}`);
    });
  },
);

test(
  `reactions added and taken back at once on both instances end where their last change says (${ROUNDS} rounds)`,
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    const users = await newUsers(4, 'rrct');
    const chatId = await groupOf(users);
    const [first] = users as [User];
    const listener = await connectSocket(instanceB, token(first, 1));
    sockets.push(listener);
    const heard = recordUpdates(listener);
    await runRounds('reactions', ROUNDS, 4, async (round) => {
      const sent = await api(instanceA, token(first)).send(chatId, `vote ${round}`);
      expectStatus(sent, [201], 'send');
      const path = (emoji: string) =>
        `/chats/${chatId}/messages/${sent.body.id}/reactions/${encodeURIComponent(emoji)}`;
      // Everyone adds 👍 twice at once (once per instance); the first user also takes it back
      // and adds 🎉, all at the same time.
      await Promise.all([
        ...users.flatMap((user) =>
          [instanceA, instanceB].map((url) => change(url, user, 'PUT', path('👍'))),
        ),
        change(instanceB, first, 'DELETE', path('👍')),
        change(instanceA, first, 'PUT', path('🎉')),
      ]);
      const history = await api(instanceA, token(first)).history(chatId);
      const shown = history.find((m) => m.id === sent.body.id) as unknown as Changed | undefined;
      const thumbs = shown?.reactions.find((r) => r.emoji === '👍');
      const problems: string[] = [];
      // Three users' 👍 for sure; the first user's is either there or taken back.
      if (!thumbs || thumbs.count < users.length - 1 || thumbs.count > users.length)
        problems.push(`👍 counted ${thumbs?.count}`);
      if (thumbs && thumbs.me !== (thumbs.count === users.length))
        problems.push(`me ${thumbs.me} with ${thumbs.count} 👍`);
      if (!shown?.reactions.some((r) => r.emoji === '🎉' && r.count === 1 && r.me))
        problems.push('🎉 missing');
      if (problems.length > 0) throw new Error(problems.join('; '));
      await eventually(
        () => {
          const last = heard.get(sent.body.id)?.message.reactions;
          return JSON.stringify(last) === JSON.stringify(shown?.reactions) ? true : undefined;
        },
        20_000,
        `round ${round}: the last live update shows the stored reactions`,
      );
    });
  },
);

test(
  `two admins demoting each other at once leave the group an admin (${ROUNDS} rounds)`,
  { timeout: TEST_TIMEOUT_MS },
  async () => {
    await runRounds('demotions', ROUNDS, 4, async () => {
      const users = (await newUsers(3, 'rrol', 1)) as [User, User, User];
      const chatId = await groupOf(users);
      const [a, b] = users;
      const role = (url: string, actor: User, subject: User, value: string) =>
        change(url, actor, 'PUT', `/chats/${chatId}/members/${subject.id}/role`, { role: value });
      expectStatus(await role(instanceA, a, b, 'admin'), [200], 'promote');
      const answers = await Promise.all([
        role(instanceA, a, b, 'member'),
        role(instanceB, b, a, 'member'),
      ]);
      for (const answer of answers) expectStatus(answer, [200, 403, 409], 'demote');
      const chat = await api(instanceB, token(users[2])).chat(chatId);
      const admins = chat.body.members.filter((m) => m.role === 'admin');
      if (admins.length === 0) throw new Error('no admin left');
    });
  },
);
