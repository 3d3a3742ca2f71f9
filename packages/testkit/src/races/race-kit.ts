/**
 * What the race tests share: users with a device (access token) each on both messaging
 * instances, the public REST API of one instance (straight to it, so the gateway's per-user rate
 * limits stay out of the load), rounds that count their failures, and a reader of the
 * `message.seen` events on Kafka. Sockets are the testkit's (`sockets.ts`).
 */
import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { topics } from '@messenger/contracts';
import { call, type Answer } from '../http.js';
import { befriend } from '../social.js';
import { stack } from '../stack.js';
import { newSession, newUser as newTestUser, type TestUser } from '../users.js';

/** Rounds per scenario: RACE_ROUNDS, or a count that keeps `make test` within minutes. */
export const ROUNDS = Math.max(1, Number(process.env['RACE_ROUNDS'] ?? 20));

/** A send refused for the user's send rate is tried again this often (its limit: 5 a second). */
const SEND_RETRY_MS = 250;
const MAX_SEND_ATTEMPTS = 80;

// ---------------------------------------------------------------------------------------------
// Public shapes (docs/api.md), tolerant of added fields such as `type` and `system`.

export interface Message {
  id: string;
  chatId: string;
  seq: number;
  senderId: string;
  clientMsgId: string;
  content: string;
  type?: string;
  system?: { event: string; actorId?: string; subjectId?: string };
}
export interface Chat {
  id: string;
  type: string;
  members: { userId: string; role: string }[];
  lastMessage: Message | null;
  unreadCount: number;
  lastSeq: number;
}
export interface Receipts {
  deliveredTo: { userId: string; at: string }[];
  readBy: { userId: string; at: string }[];
}

export const isUserMessage = (m: Message): boolean => m.type !== 'system';

/** The API of one messaging instance, as one device (access token) of a user. */
export function api(url: string, token: string) {
  const base = `${url}/api/v1`;
  return {
    url,
    token,
    createGroup: (memberIds: string[], name = 'race') =>
      call<Chat>('POST', `${base}/chats`, { token, body: { type: 'group', name, memberIds } }),
    chat: (chatId: string) => call<Chat>('GET', `${base}/chats/${chatId}`, { token }),
    addMember: (chatId: string, userId: string) =>
      call<Chat>('POST', `${base}/chats/${chatId}/members`, { token, body: { userId } }),
    removeMember: (chatId: string, userId: string) =>
      call('DELETE', `${base}/chats/${chatId}/members/${userId}`, { token }),
    /** Waits out the user's send rate (429) as a client does: the same clientMsgId, later. */
    async send(chatId: string, content: string, clientMsgId: string = randomUUID()) {
      for (let attempt = 1; ; attempt += 1) {
        const answer = await call<Message>('POST', `${base}/chats/${chatId}/messages`, {
          token,
          body: { clientMsgId, content },
        });
        if (answer.status !== 429 || attempt === MAX_SEND_ATTEMPTS) return answer;
        await sleep(SEND_RETRY_MS);
      }
    },
    page: (chatId: string, query: string) =>
      call<{ items: Message[]; nextCursor: string | null }>(
        'GET',
        `${base}/chats/${chatId}/messages?${query}`,
        { token },
      ),
    read: (chatId: string, upToSeq: number) =>
      call('POST', `${base}/chats/${chatId}/read`, { token, body: { upToSeq } }),
    receipts: (chatId: string, messageId: string) =>
      call<Receipts>('GET', `${base}/chats/${chatId}/messages/${messageId}/receipts`, { token }),
    /** Every page of GET /chats. */
    async chats(): Promise<Chat[]> {
      const all: Chat[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < 50; page += 1) {
        const answer: Answer<{ items: Chat[]; nextCursor: string | null }> = await call(
          'GET',
          `${base}/chats?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
          { token },
        );
        if (answer.status !== 200) throw new Error(`GET /chats: ${answer.status}`);
        all.push(...answer.body.items);
        cursor = answer.body.nextCursor;
        if (!cursor) break;
      }
      return all;
    },
    /** The whole history of a chat, in seq order. */
    async history(chatId: string): Promise<Message[]> {
      const all: Message[] = [];
      let query = 'afterSeq=0&limit=100';
      for (;;) {
        const answer = await call<{ items: Message[]; nextCursor: string | null }>(
          'GET',
          `${base}/chats/${chatId}/messages?${query}`,
          { token },
        );
        if (answer.status !== 200)
          throw new Error(`history: ${answer.status} ${JSON.stringify(answer.body)}`);
        all.push(...answer.body.items);
        if (!answer.body.nextCursor) return all;
        query = `cursor=${encodeURIComponent(answer.body.nextCursor)}&limit=100`;
      }
    },
  };
}
export type Api = ReturnType<typeof api>;

export function expectStatus(answer: Answer<unknown>, expected: number[], what: string): void {
  if (!expected.includes(answer.status))
    throw new Error(`${what}: ${answer.status} ${JSON.stringify(answer.body)}`);
}

// ---------------------------------------------------------------------------------------------
// Users: a profile and sessions (devices) with real access tokens; friendships through contact's
// public API.

/** A test user with `tokens`, one access token per device (the first is `token`). */
export interface User extends TestUser {
  tokens: string[];
}

export async function newUser(prefix = 'race', devices = 2): Promise<User> {
  const user = await newTestUser(prefix);
  const tokens = [user.token];
  while (tokens.length < devices) tokens.push((await newSession(user.id)).token);
  return { ...user, tokens };
}

export function newUsers(count: number, prefix?: string, devices?: number): Promise<User[]> {
  return Promise.all(Array.from({ length: count }, () => newUser(prefix, devices)));
}

/** `hub` befriends every one of `others`, a few at a time. */
export async function befriendAll(hub: User, others: User[]): Promise<void> {
  for (let i = 0; i < others.length; i += 5)
    await Promise.all(others.slice(i, i + 5).map((user) => befriend(hub, user)));
}

export const token = (user: User, device = 0): string => {
  const found = user.tokens[device];
  if (!found) throw new Error(`user ${user.id} has no device ${device}`);
  return found;
};

// ---------------------------------------------------------------------------------------------
// Sockets

/** Every `message:new` a socket receives from now on, with its arrival time. */
export function recordMessages(socket: Socket): { message: Message; at: number }[] {
  const seen: { message: Message; at: number }[] = [];
  socket.on('message:new', (message: Message) => seen.push({ message, at: Date.now() }));
  return seen;
}

// ---------------------------------------------------------------------------------------------
// Rounds

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export const pick = <T>(items: readonly T[]): T => {
  const item = items[Math.floor(Math.random() * items.length)];
  if (item === undefined) throw new Error('pick from nothing');
  return item;
};

/**
 * Runs `rounds` rounds, `parallel` at a time, and fails once at the end with how many rounds
 * failed and their distinct failures, so one run gives a failure rate rather than the first miss.
 */
export async function runRounds(
  name: string,
  rounds: number,
  parallel: number,
  round: (index: number) => Promise<void>,
): Promise<void> {
  const failures: { index: number; message: string }[] = [];
  let next = 0;
  const started = Date.now();
  const worker = async (): Promise<void> => {
    for (;;) {
      const index = next;
      next += 1;
      if (index >= rounds) return;
      try {
        await round(index);
      } catch (error) {
        failures.push({
          index,
          message: error instanceof Error ? error.message : String(error),
        });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, rounds) }, worker));
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  // Each failed round lists its problems joined by '; '. Count the rounds per kind of problem
  // (numbers and addresses blanked out), with the first round's wording as the example.
  const kinds = new Map<string, { rounds: number; example: string }>();
  for (const failure of failures) {
    const parts = failure.message.split('\n')[0]?.split('; ') ?? [];
    const seen = new Set<string>();
    for (const part of parts) {
      const kind = part.replace(/https?:\/\/\S+/g, 'URL').replace(/\d+/g, 'N');
      if (seen.has(kind)) continue;
      seen.add(kind);
      const entry = kinds.get(kind) ?? { rounds: 0, example: part.slice(0, 400) };
      entry.rounds += 1;
      kinds.set(kind, entry);
    }
  }
  const summary = [...kinds.values()]
    .sort((a, b) => b.rounds - a.rounds)
    .map(({ rounds: n, example }) => `  ${n} rounds: ${example}`)
    .join('\n');
  console.log(`[races] ${name}: ${failures.length}/${rounds} rounds failed in ${seconds}s`);
  if (failures.length > 0) {
    console.log(summary);
    throw new Error(`${name}: ${failures.length} of ${rounds} rounds failed:\n${summary}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Kafka: the `message.seen` events published from the start of a test on.

export interface SeenEvent {
  id: string;
  chatId: string;
  userId: string;
  kind: string;
  upToSeq: number;
}

export class SeenEvents {
  readonly byChat = new Map<string, SeenEvent[]>();
  private constructor(private readonly consumer: Consumer) {}

  /** A fresh consumer group positioned at the topic's current end, before anything is written. */
  static async start(): Promise<SeenEvents> {
    const kafka = new Kafka({
      clientId: 'race-tests',
      brokers: stack.kafkaBrokers,
      logLevel: logLevel.NOTHING,
    });
    const topic = topics.message.name;
    const groupId = `race-tests-${randomUUID()}`;
    const admin = kafka.admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets(topic);
      await admin.setOffsets({
        groupId,
        topic,
        partitions: offsets.map(({ partition, offset }) => ({ partition, offset })),
      });
    } finally {
      await admin.disconnect();
    }
    const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, maxWaitTimeInMs: 100 });
    const events = new SeenEvents(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const envelope = JSON.parse(message.value?.toString() ?? '{}') as {
          id?: string;
          type?: string;
          data?: { chatId?: string; userId?: string; kind?: string; upToSeq?: number };
        };
        const data = envelope.data;
        if (envelope.type !== 'message.seen' || !data?.chatId || !envelope.id) return;
        const list = events.byChat.get(data.chatId) ?? [];
        list.push({
          id: envelope.id,
          chatId: data.chatId,
          userId: data.userId ?? '',
          kind: data.kind ?? '',
          upToSeq: data.upToSeq ?? -1,
        });
        events.byChat.set(data.chatId, list);
        await Promise.resolve();
      },
    });
    return events;
  }

  of(chatId: string, userId: string, kind: string): SeenEvent[] {
    return (this.byChat.get(chatId) ?? []).filter((e) => e.userId === userId && e.kind === kind);
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}

/** Each scenario is one node:test test running every round: its timeout grows with the rounds. */
export const TEST_TIMEOUT_MS = 120_000 + ROUNDS * 15_000;
