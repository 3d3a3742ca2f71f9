/** Real users for integration tests: a profile, a session token, and friendships via contact. */
import { randomBytes, randomUUID } from 'node:crypto';
import { call } from './http.js';

const profileUrl = process.env['PROFILE_URL'] ?? 'http://127.0.0.1:8083';
const sessionUrl = process.env['SESSION_URL'] ?? 'http://127.0.0.1:8082';
const contactUrl = process.env['CONTACT_URL'] ?? 'http://127.0.0.1:8084';

export interface TestUser {
  id: string;
  token: string;
  sessionId: string;
}

export async function newUser(prefix = 'msg'): Promise<TestUser> {
  const id = randomUUID();
  const nickname = `${prefix}_${randomBytes(6).toString('hex')}`;
  const profile = await call('POST', `${profileUrl}/internal/profiles`, {
    body: { userId: id, nickname },
  });
  if (profile.status !== 201) throw new Error(`profile: ${profile.status}`);
  return { id, ...(await newSession(id)) };
}

/** Another session (device) of the same user. */
export async function newSession(userId: string): Promise<{ token: string; sessionId: string }> {
  const session = await call<{ accessToken: string; sessionId: string }>(
    'POST',
    `${sessionUrl}/internal/sessions`,
    { body: { userId } },
  );
  if (session.status !== 201) throw new Error(`session: ${session.status}`);
  return { token: session.body.accessToken, sessionId: session.body.sessionId };
}

export async function newUsers(count: number, prefix?: string): Promise<TestUser[]> {
  return Promise.all(Array.from({ length: count }, () => newUser(prefix)));
}

async function contact(method: string, path: string, user: TestUser, expected: number) {
  const answer = await call(method, `${contactUrl}/api/v1${path}`, { token: user.token });
  if (answer.status !== expected)
    throw new Error(`${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
}

export async function befriend(a: TestUser, b: TestUser): Promise<void> {
  const request = await call<{ id: string }>('POST', `${contactUrl}/api/v1/friends/requests`, {
    token: a.token,
    body: { userId: b.id },
  });
  if (request.status !== 201) throw new Error(`friend request: ${request.status}`);
  await contact('POST', `/friends/requests/${request.body.id}/accept`, b, 200);
}

export async function unfriend(a: TestUser, b: TestUser): Promise<void> {
  await contact('DELETE', `/friends/${b.id}`, a, 204);
}

export async function block(a: TestUser, b: TestUser): Promise<void> {
  await contact('POST', `/blocks/${b.id}`, a, 201);
}

export async function unblock(a: TestUser, b: TestUser): Promise<void> {
  await contact('DELETE', `/blocks/${b.id}`, a, 204);
}

export async function revokeSession(user: TestUser, sessionId: string): Promise<void> {
  const answer = await call('DELETE', `${sessionUrl}/api/v1/sessions/${sessionId}`, {
    token: user.token,
  });
  if (answer.status !== 204) throw new Error(`revoke: ${answer.status}`);
}
