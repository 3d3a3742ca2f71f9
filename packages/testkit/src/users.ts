/** Real users as register makes them: a profile, then a session (device) from the session service. */
import { randomBytes, randomUUID } from 'node:crypto';
import { call } from './http.js';
import { profileUrl, sessionUrl } from './service-urls.js';

export interface TestUser {
  id: string;
  nickname: string;
  token: string;
  sessionId: string;
}

export function uniqueNickname(prefix: string): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

export async function newUser(prefix = 'user'): Promise<TestUser> {
  const id = randomUUID();
  const nickname = uniqueNickname(prefix);
  const profile = await call('POST', `${profileUrl}/internal/profiles`, {
    body: { userId: id, nickname },
  });
  if (profile.status !== 201) throw new Error(`profile create: ${profile.status}`);
  return { id, nickname, ...(await newSession(id)) };
}

export async function newUsers(count: number, prefix?: string): Promise<TestUser[]> {
  return Promise.all(Array.from({ length: count }, () => newUser(prefix)));
}

/** Another session (device) of the same user. */
export async function newSession(userId: string): Promise<{ token: string; sessionId: string }> {
  const session = await call<{ accessToken: string; sessionId: string }>(
    'POST',
    `${sessionUrl}/internal/sessions`,
    { body: { userId } },
  );
  if (session.status !== 201) throw new Error(`session create: ${session.status}`);
  return { token: session.body.accessToken, sessionId: session.body.sessionId };
}

export async function revokeSession(user: TestUser, sessionId: string): Promise<void> {
  const answer = await call('DELETE', `${sessionUrl}/api/v1/sessions/${sessionId}`, {
    token: user.token,
  });
  if (answer.status !== 204) throw new Error(`revoke: ${answer.status}`);
}
