/**
 * The platform as a client app uses it: accounts registered over REST through the gateway,
 * Socket.IO through the gateway, `message:send` with its ack, `message:new` live and `sync` after
 * a reconnect. The stack (`make up`) runs it.
 */
import { randomUUID } from 'node:crypto';
import type { Message } from '@messenger/contracts';
import { localUrls, serviceNames } from '@messenger/contracts/services';
import {
  befriend,
  call,
  connectSocket,
  register,
  type TestUser,
} from '@messenger/testkit/gateway/app-client';
import { forgetChats } from '@messenger/testkit/messaging/cleanup';
import { gatewayUrl } from '@messenger/testkit/service-urls';
import { emitWithAck, syncAsClient } from '@messenger/testkit/sockets';
import { stack } from '@messenger/testkit/stack';
import { inBatches } from '../batches.js';
import { listenerPids } from '../processes.js';
import { dropTransport, reconnect } from './socket-io.js';
import type { Client, Conversation, Identity, ReceiveHandler, System } from './system.js';

/**
 * What serves a message: the stores, the broker and every service instance, found by the ports
 * they listen on (so an instance someone runs by hand counts too); not Prometheus, not the mail sink.
 */
function platformPorts(): number[] {
  const port = (url: string) => Number(new URL(url).port);
  const servers = [stack.databaseUrl, stack.redisUrl, stack.mongoUrl].map(port);
  const brokers = stack.kafkaBrokers.map((broker) => Number(broker.split(':')[1]));
  const instances = serviceNames
    .filter((name) => name !== 'operator')
    .flatMap((name) => localUrls(name).map(port));
  return [...servers, ...brokers, ...instances];
}

/** Access tokens live 15 minutes; one older than this is refreshed before it is handed out. */
const REFRESH_AFTER_MS = 5 * 60_000;
/** Registration hashes a password (argon2): a few at a time keep the 2 cores usable. */
const REGISTER_CONCURRENCY = 4;

interface Account extends Identity {
  user: TestUser;
  tokenAt: number;
  /** The refresh under way: a refresh token is single use, a second use revokes the family. */
  refreshing?: Promise<TestUser>;
}

type Ack = { message?: Message; error?: { code: string } };

export function platformSystem(): System {
  const accounts: Account[] = [];
  const friends = new Set<string>();
  const chatIds: string[] = [];
  /** The highest seq the harness has seen per chat: where a device that just connected stands. */
  const latestSeq = new Map<string, number>();
  const noteSeq = (message: Message) =>
    latestSeq.set(message.chatId, Math.max(latestSeq.get(message.chatId) ?? 0, message.seq));

  async function refresh(account: Account): Promise<TestUser> {
    const answer = await call<{ accessToken: string; refreshToken: string }>(
      'POST',
      '/auth/refresh',
      { body: { refreshToken: account.user.refreshToken } },
    );
    if (answer.status !== 200) throw new Error(`refresh: ${answer.status}`);
    account.user = { ...account.user, ...answer.body };
    account.tokenAt = Date.now();
    return account.user;
  }

  function fresh(account: Account): Promise<TestUser> {
    if (Date.now() - account.tokenAt < REFRESH_AFTER_MS) return Promise.resolve(account.user);
    account.refreshing ??= refresh(account).finally(() => {
      account.refreshing = undefined;
    });
    return account.refreshing;
  }

  async function identities(count: number): Promise<Identity[]> {
    const missing = Math.max(0, count - accounts.length);
    const made = await inBatches(REGISTER_CONCURRENCY, missing, async () => {
      const user = await register('bench');
      return { id: user.id, user, tokenAt: Date.now() };
    });
    accounts.push(...made);
    const chosen = accounts.slice(0, count);
    await inBatches(REGISTER_CONCURRENCY, chosen.length, (i) => fresh(chosen[i] as Account));
    return chosen;
  }

  async function makeFriends(a: Account, b: Account): Promise<void> {
    const key = [a.id, b.id].sort().join(':');
    if (friends.has(key)) return;
    await befriend(a.user, b.user);
    friends.add(key);
  }

  async function conversation(members: Identity[]): Promise<Conversation> {
    const [admin, ...others] = members as Account[];
    if (!admin || others.length === 0) throw new Error('a conversation needs two members');
    await inBatches(REGISTER_CONCURRENCY, others.length, (i) =>
      makeFriends(admin, others[i] as Account),
    );
    const body =
      others.length === 1
        ? { type: 'direct', userId: others[0]?.id }
        : { type: 'group', name: 'bench', memberIds: others.map((m) => m.id) };
    const answer = await call<{ id: string }>('POST', '/chats', {
      token: admin.user.accessToken,
      body,
    });
    if (answer.status !== 201 && answer.status !== 200)
      throw new Error(`chat: ${answer.status} ${JSON.stringify(answer.body)}`);
    chatIds.push(answer.body.id);
    return { id: answer.body.id, members };
  }

  async function connect(identity: Identity, conversations: Conversation[]): Promise<Client> {
    const user = await fresh(identity as Account);
    const socket = await connectSocket(user.accessToken, gatewayUrl);
    // Per chat: the seq up to which this device has everything, and the seqs it has above it.
    const position = new Map(conversations.map((c) => [c.id, latestSeq.get(c.id) ?? 0]));
    const above = new Map<string, Set<number>>();
    let handler: ReceiveHandler | undefined;
    const seen = (message: Message): boolean => {
      const upTo = position.get(message.chatId) ?? 0;
      return message.seq <= upTo || (above.get(message.chatId)?.has(message.seq) ?? false);
    };
    const note = (message: Message) => {
      noteSeq(message);
      const seqs = above.get(message.chatId) ?? new Set<number>();
      above.set(message.chatId, seqs.add(message.seq));
      let upTo = position.get(message.chatId) ?? 0;
      while (seqs.delete(upTo + 1)) upTo += 1;
      position.set(message.chatId, upTo);
    };
    // A live duplicate is passed on (the ledger counts it); `sync` overlapping live delivery is not.
    socket.on('message:new', (message: Message) => {
      note(message);
      handler?.(message.chatId, message.content ?? '');
    });
    return {
      identity,
      send: async (chatId, content) => {
        const ack = await emitWithAck<Ack>(socket, 'message:send', {
          chatId,
          clientMsgId: randomUUID(),
          content,
        });
        if (!ack.message) throw new Error(`message:send: ${ack.error?.code ?? 'no message'}`);
        noteSeq(ack.message);
      },
      onReceive: (receive) => {
        handler = receive;
      },
      drop: () => {
        dropTransport(socket);
      },
      resume: async () => {
        await reconnect(socket);
        const chats = [...position].map(([chatId, afterSeq]) => ({ chatId, afterSeq }));
        const answer = await syncAsClient(socket, chats);
        if ('error' in answer) throw new Error(`sync: ${answer.error.code}`);
        for (const message of answer.messages) {
          if (seen(message)) continue;
          note(message);
          handler?.(message.chatId, message.content ?? '');
        }
      },
      close: () => socket.close(),
    };
  }

  return {
    name: 'platform',
    start: async () => {
      const ready = await fetch(`${gatewayUrl}/readyz`).catch(() => undefined);
      if (!ready?.ok) throw new Error(`the platform is not ready at ${gatewayUrl}: run make up`);
    },
    stop: () => Promise.resolve(),
    serverPids: () => listenerPids(platformPorts()),
    identities,
    conversation,
    connect,
    cleanup: async () => {
      await forgetChats(chatIds.splice(0));
    },
  };
}
