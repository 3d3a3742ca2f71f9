import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { call, register } from '@messenger/testkit/gateway/app-client';

const upper = (id: string) => id.toUpperCase();

test('an id written in upper case names the same object in every service', async () => {
  const [ada, bob] = [await register('idsa'), await register('idsb')];

  const profile = await call<{ userId: string }>('GET', `/profiles/${upper(bob.id)}`, {
    token: ada.accessToken,
  });
  assert.equal(profile.status, 200, JSON.stringify(profile.body));
  assert.equal(profile.body.userId, bob.id);

  const request = await call<{ id: string; toUserId: string }>('POST', '/friends/requests', {
    token: ada.accessToken,
    body: { userId: upper(bob.id) },
  });
  assert.equal(request.status, 201, JSON.stringify(request.body));
  assert.equal(request.body.toUserId, bob.id);
  const accepted = await call('POST', `/friends/requests/${upper(request.body.id)}/accept`, {
    token: bob.accessToken,
  });
  assert.equal(accepted.status, 200, JSON.stringify(accepted.body));

  const chat = await call<{ id: string }>('POST', '/chats', {
    token: ada.accessToken,
    body: { type: 'direct', userId: upper(bob.id) },
  });
  assert.ok(chat.status === 201 || chat.status === 200, JSON.stringify(chat.body));
  const sent = await call<{ chatId: string }>('POST', `/chats/${upper(chat.body.id)}/messages`, {
    token: ada.accessToken,
    body: { clientMsgId: randomUUID(), content: 'hello in any case' },
  });
  assert.equal(sent.status, 201, JSON.stringify(sent.body));
  assert.equal(sent.body.chatId, chat.body.id);
  const history = await call<{ items: { content: string }[] }>(
    'GET',
    `/chats/${upper(chat.body.id)}/messages`,
    { token: bob.accessToken },
  );
  assert.equal(history.status, 200, JSON.stringify(history.body));
  assert.deepEqual(
    history.body.items.map((message) => message.content),
    ['hello in any case'],
  );

  const removed = await call('DELETE', `/friends/${upper(bob.id)}`, { token: ada.accessToken });
  assert.equal(removed.status, 204, JSON.stringify(removed.body));
});
