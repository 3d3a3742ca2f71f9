/** The messaging REST API as tests use it. */
import { randomUUID } from 'node:crypto';
import type { Chat, Message } from '@messenger/contracts';
import { remember } from './cleanup.js';
import { call, type Answer } from '../http.js';
import type { TestUser } from '../users.js';

export async function directChat(url: string, user: TestUser, other: TestUser): Promise<Chat> {
  const answer = await call<Chat>('POST', `${url}/api/v1/chats`, {
    token: user.token,
    body: { type: 'direct', userId: other.id },
  });
  if (answer.status !== 201 && answer.status !== 200)
    throw new Error(`direct chat: ${answer.status} ${JSON.stringify(answer.body)}`);
  remember(answer.body.id);
  return answer.body;
}

export async function groupChat(
  url: string,
  admin: TestUser,
  members: TestUser[],
  name = 'group',
): Promise<Chat> {
  const answer = await call<Chat>('POST', `${url}/api/v1/chats`, {
    token: admin.token,
    body: { type: 'group', name, memberIds: members.map((m) => m.id) },
  });
  if (answer.status !== 201)
    throw new Error(`group chat: ${answer.status} ${JSON.stringify(answer.body)}`);
  remember(answer.body.id);
  return answer.body;
}

export function send(
  url: string,
  user: TestUser,
  chatId: string,
  content: string,
  clientMsgId: string = randomUUID(),
): Promise<Answer<Message>> {
  return call<Message>('POST', `${url}/api/v1/chats/${chatId}/messages`, {
    token: user.token,
    body: { clientMsgId, content },
  });
}

export async function history(url: string, user: TestUser, chatId: string): Promise<Message[]> {
  const messages: Message[] = [];
  let query = 'afterSeq=0&limit=100';
  for (;;) {
    const page = await call<{ items: Message[]; nextCursor: string | null }>(
      'GET',
      `${url}/api/v1/chats/${chatId}/messages?${query}`,
      { token: user.token },
    );
    if (page.status !== 200) throw new Error(`history: ${page.status}`);
    messages.push(...page.body.items);
    if (!page.body.nextCursor) return messages;
    query = `cursor=${page.body.nextCursor}&limit=100`;
  }
}

export async function chatOf(url: string, user: TestUser, chatId: string): Promise<Answer<Chat>> {
  return call<Chat>('GET', `${url}/api/v1/chats/${chatId}`, { token: user.token });
}
