/** What the contact service says about two users: its internal relationship answer and friend lists. */
import { call } from '../http.js';
import { contactApi } from '../social.js';
import { contactUrl } from '../service-urls.js';
import type { TestUser } from '../users.js';

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
  const answer = await call<{ items: { userId: string }[] }>(
    'GET',
    `${contactApi}/friends?limit=100`,
    { token: user.token },
  );
  return answer.body.items.map((friend) => friend.userId);
}
