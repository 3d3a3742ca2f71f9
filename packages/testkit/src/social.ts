/** Friendships and blocks between test users, through the contact service's public API. */
import { call } from './http.js';
import { contactUrl } from './service-urls.js';
import type { TestUser } from './users.js';

export const contactApi = `${contactUrl}/api/v1`;

async function expectCall(method: string, path: string, user: TestUser, expected: number) {
  const answer = await call(method, `${contactApi}${path}`, { token: user.token });
  if (answer.status !== expected)
    throw new Error(`${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
}

export interface RequestBody {
  id: string;
  fromUserId: string;
  toUserId: string;
  status: string;
  createdAt: string;
}

export function sendRequest(from: TestUser, target: { userId: string } | { nickname: string }) {
  return call<RequestBody>('POST', `${contactApi}/friends/requests`, {
    token: from.token,
    body: target,
  });
}

export async function befriend(a: TestUser, b: TestUser): Promise<void> {
  const request = await sendRequest(a, { userId: b.id });
  if (request.status !== 201) throw new Error(`friend request: ${request.status}`);
  await expectCall('POST', `/friends/requests/${request.body.id}/accept`, b, 200);
}

export async function unfriend(a: TestUser, b: TestUser): Promise<void> {
  await expectCall('DELETE', `/friends/${b.id}`, a, 204);
}

export async function block(a: TestUser, b: TestUser): Promise<void> {
  await expectCall('POST', `/blocks/${b.id}`, a, 201);
}

export async function unblock(a: TestUser, b: TestUser): Promise<void> {
  await expectCall('DELETE', `/blocks/${b.id}`, a, 204);
}
