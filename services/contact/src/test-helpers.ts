/** What the integration tests of this service share: users with real tokens, HTTP, events. */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Consumer } from 'kafkajs';
import type { Envelope, TopicSpec } from '@messenger/contracts';
import { createKafka, createLogger } from '@messenger/platform';
import { stack, uniqueName } from '@messenger/platform/testing';

const profileUrl = process.env['PROFILE_URL'] ?? 'http://127.0.0.1:8083';
export const contactUrl = process.env['CONTACT_URL'] ?? 'http://127.0.0.1:8084';
const sessionUrl = process.env['SESSION_URL'] ?? 'http://127.0.0.1:8082';

export const kafka = createKafka(
  'contact-test',
  stack.kafkaBrokers,
  createLogger('test', 'silent'),
);

export interface Answer<T = Record<string, unknown>> {
  status: number;
  contentType: string;
  body: T;
}

export async function call<T = Record<string, unknown>>(
  method: string,
  url: string,
  options: { token?: string; body?: unknown; rawBody?: string } = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = {};
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  const body = options.body === undefined ? options.rawBody : JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(url, { method, headers, body: body ?? null });
  const text = await response.text();
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    body: (text ? JSON.parse(text) : {}) as T,
  };
}

export function uniqueNickname(prefix: string): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

export interface TestUser {
  id: string;
  nickname: string;
  token: string;
}

/** A user as register makes one: a profile, and a session from the session service. */
export async function newUser(prefix = 'ct'): Promise<TestUser> {
  const id = randomUUID();
  const nickname = uniqueNickname(prefix);
  const created = await call('POST', `${profileUrl}/internal/profiles`, {
    body: { userId: id, nickname },
  });
  if (created.status !== 201) throw new Error(`profile create: ${created.status}`);
  const session = await call<{ accessToken: string }>('POST', `${sessionUrl}/internal/sessions`, {
    body: { userId: id },
  });
  if (session.status !== 201) throw new Error(`session create: ${session.status}`);
  return { id, nickname, token: session.body.accessToken };
}

export type KeyedEnvelope = Envelope & { key: string | undefined };

/** Records every event published to `topic` from now on (it seeks past what is there). */
export async function watchTopic(
  topic: TopicSpec,
): Promise<{ events: KeyedEnvelope[]; stop: () => Promise<void> }> {
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic.name);
  await admin.disconnect();
  const consumer: Consumer = kafka.consumer({ groupId: uniqueName('contact-test') });
  await consumer.connect();
  await consumer.subscribe({ topic: topic.name });
  const events: KeyedEnvelope[] = [];
  await consumer.run({
    eachMessage: ({ message }) => {
      const envelope = JSON.parse(message.value?.toString('utf8') ?? '{}') as Envelope;
      events.push({ ...envelope, key: message.key?.toString('utf8') });
      return Promise.resolve();
    },
  });
  for (const { partition, offset } of offsets) {
    consumer.seek({ topic: topic.name, partition, offset });
  }
  return { events, stop: () => consumer.disconnect() };
}

export const api = `${contactUrl}/api/v1`;

export interface RequestBody {
  id: string;
  fromUserId: string;
  toUserId: string;
  status: string;
  createdAt: string;
}

export function sendRequest(
  from: TestUser,
  target: { userId: string } | { nickname: string },
): Promise<Answer<RequestBody>> {
  return call<RequestBody>('POST', `${api}/friends/requests`, { token: from.token, body: target });
}

export async function befriend(a: TestUser, b: TestUser): Promise<void> {
  const request = await sendRequest(a, { userId: b.id });
  if (request.status !== 201) throw new Error(`request: ${request.status}`);
  const accepted = await call('POST', `${api}/friends/requests/${request.body.id}/accept`, {
    token: b.token,
  });
  if (accepted.status !== 200) throw new Error(`accept: ${accepted.status}`);
}

export interface Relationship {
  friends: boolean;
  blockedByA: boolean;
  blockedByB: boolean;
}

export async function relationship(a: TestUser, b: TestUser): Promise<Relationship> {
  const answer = await call<Relationship>(
    'GET',
    `${contactUrl}/internal/relationships?a=${a.id}&b=${b.id}`,
  );
  if (answer.status !== 200) throw new Error(`relationships: ${answer.status}`);
  return answer.body;
}

export async function friendIds(user: TestUser): Promise<string[]> {
  const answer = await call<{ items: { userId: string }[] }>('GET', `${api}/friends?limit=100`, {
    token: user.token,
  });
  return answer.body.items.map((friend) => friend.userId);
}
