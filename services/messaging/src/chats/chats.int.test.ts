import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Chat, Message } from '@messenger/contracts';
import { chatOf, directChat, groupChat, history, send } from '@messenger/testkit/messaging/chats';
import { call } from '@messenger/testkit/http';
import { connectSocket, instanceA, instanceB, nextEvent } from '@messenger/testkit/sockets';
import { befriend } from '@messenger/testkit/social';
import { newUsers } from '@messenger/testkit/users';
import { forgetChats } from '@messenger/testkit/messaging/cleanup';

after(() => forgetChats());

const codeOf = (body: unknown) => (body as { code?: string }).code;

test('a direct chat needs a friendship, is one per pair, and is hidden from others', async () => {
  const [a, b, stranger] = await newUsers(3);
  const refused = await call('POST', `${instanceA}/api/v1/chats`, {
    token: a!.token,
    body: { type: 'direct', userId: b!.id },
  });
  assert.equal(refused.status, 403);
  assert.equal(codeOf(refused.body), 'not_friends');

  await befriend(a!, b!);
  const created = await call<Chat>('POST', `${instanceA}/api/v1/chats`, {
    token: a!.token,
    body: { type: 'direct', userId: b!.id },
  });
  assert.equal(created.status, 201);
  assert.equal(created.body.type, 'direct');
  assert.equal(created.body.name, null);
  assert.deepEqual(created.body.members.map((m) => m.userId).sort(), [a!.id, b!.id].sort());
  assert.equal(created.body.lastSeq, 0);
  assert.equal(created.body.lastMessage, null);
  const again = await call<Chat>('POST', `${instanceB}/api/v1/chats`, {
    token: b!.token,
    body: { type: 'direct', userId: a!.id },
  });
  assert.equal(again.status, 200);
  assert.equal(again.body.id, created.body.id);

  const chatId = created.body.id;
  for (const [method, path, body] of [
    ['GET', `/chats/${chatId}`],
    ['GET', `/chats/${chatId}/messages`],
    ['POST', `/chats/${chatId}/messages`, { clientMsgId: 'x', content: 'hi' }],
    ['POST', `/chats/${chatId}/read`, { upToSeq: 1 }],
    ['POST', `/chats/${chatId}/members`, { userId: stranger!.id }],
    ['DELETE', `/chats/${chatId}/members/${a!.id}`],
  ] as const) {
    const answer = await call(method, `${instanceA}/api/v1${path}`, {
      token: stranger!.token,
      ...(body ? { body } : {}),
    });
    assert.equal(answer.status, 404, `${method} ${path}`);
  }
  const sent = await send(instanceA, a!, chatId, 'hello');
  const receipts = await call(
    'GET',
    `${instanceA}/api/v1/chats/${chatId}/messages/${sent.body.id}/receipts`,
    { token: stranger!.token },
  );
  assert.equal(receipts.status, 404);
});

test('the chat list: most recent activity first, last message, unread count, cursor pages', async () => {
  const [me, ...friends] = await newUsers(4);
  await Promise.all(friends.map((friend) => befriend(me!, friend)));
  const chats: Chat[] = [];
  for (const friend of friends) chats.push(await directChat(instanceA, me!, friend));
  await send(instanceA, friends[1]!, chats[1]!.id, 'older');
  await send(instanceB, friends[0]!, chats[0]!.id, 'one');
  await send(instanceB, friends[0]!, chats[0]!.id, 'two');

  const first = await call<{ items: Chat[]; nextCursor: string | null }>(
    'GET',
    `${instanceB}/api/v1/chats?limit=2`,
    { token: me!.token },
  );
  assert.equal(first.status, 200);
  assert.deepEqual(
    first.body.items.map((c) => c.id),
    [chats[0]!.id, chats[1]!.id],
  );
  assert.equal(first.body.items[0]!.unreadCount, 2);
  assert.equal(first.body.items[0]!.lastMessage?.content, 'two');
  assert.equal(first.body.items[0]!.lastSeq, 2);
  assert.equal(first.body.items[1]!.unreadCount, 1);
  assert.ok(first.body.nextCursor);
  const rest = await call<{ items: Chat[]; nextCursor: string | null }>(
    'GET',
    `${instanceA}/api/v1/chats?limit=2&cursor=${first.body.nextCursor}`,
    { token: me!.token },
  );
  assert.deepEqual(
    rest.body.items.map((c) => c.id),
    [chats[2]!.id],
  );
  assert.equal(rest.body.nextCursor, null);

  await call('POST', `${instanceA}/api/v1/chats/${chats[0]!.id}/read`, {
    token: me!.token,
    body: { upToSeq: 99 },
  });
  const read = await chatOf(instanceA, me!, chats[0]!.id);
  assert.equal(read.body.unreadCount, 0, 'a read mark past the end stops at the last seq');
  await send(instanceA, me!, chats[2]!.id, 'mine');
  const listed = await call<{ items: Chat[] }>('GET', `${instanceA}/api/v1/chats`, {
    token: me!.token,
  });
  assert.equal(listed.body.items[0]!.id, chats[2]!.id, 'sending moves a chat to the top');
  assert.equal(listed.body.items[0]!.unreadCount, 0);
});

test("a chat's last message reads as each member's history does: their reactions, their deletes", async () => {
  const [me, friend] = await newUsers(2);
  await befriend(me!, friend!);
  const chat = await directChat(instanceA, me!, friend!);
  const sent = await send(instanceB, friend!, chat.id, 'look');
  const message = `${instanceA}/api/v1/chats/${chat.id}/messages/${sent.body.id}`;
  const reacted = await call('PUT', `${message}/reactions/${encodeURIComponent('👍')}`, {
    token: me!.token,
  });
  assert.equal(reacted.status, 204);
  const lastOf = async (user: typeof me, url: string) => {
    const listed = await call<{ items: Chat[] }>('GET', `${url}/api/v1/chats`, {
      token: user!.token,
    });
    return listed.body.items.find((c) => c.id === chat.id)?.lastMessage;
  };
  assert.deepEqual((await lastOf(me, instanceA))?.reactions, [{ emoji: '👍', count: 1, me: true }]);
  assert.deepEqual((await lastOf(friend, instanceB))?.reactions, [
    { emoji: '👍', count: 1, me: false },
  ]);

  const hidden = await call('DELETE', `${message}?for=me`, { token: me!.token });
  assert.equal(hidden.status, 204);
  const mine = await lastOf(me, instanceB);
  assert.equal(mine?.deleted, true, 'deleted for me: a tombstone in my list');
  assert.equal(mine.content, null);
  assert.equal((await chatOf(instanceA, me!, chat.id)).body.lastMessage?.content, null);
  assert.equal((await lastOf(friend, instanceA))?.content, 'look', 'the friend still has it');
});

test('groups: only admins add, and only their friends; members leave; admins remove', async () => {
  const [admin, friend, other, outsider] = await newUsers(4);
  await Promise.all([
    befriend(admin!, friend!),
    befriend(admin!, other!),
    befriend(friend!, outsider!),
  ]);
  const notFriends = await call('POST', `${instanceA}/api/v1/chats`, {
    token: admin!.token,
    body: { type: 'group', name: 'team', memberIds: [friend!.id, outsider!.id] },
  });
  assert.equal(notFriends.status, 403);
  assert.equal(codeOf(notFriends.body), 'not_friends');

  const group = await groupChat(instanceA, admin!, [friend!], 'team');
  assert.equal(group.name, 'team');
  assert.deepEqual(
    group.members.map((m) => [m.userId, m.role]),
    [
      [admin!.id, 'admin'],
      [friend!.id, 'member'],
    ],
  );
  const addPath = `${instanceB}/api/v1/chats/${group.id}/members`;
  const byMember = await call('POST', addPath, {
    token: friend!.token,
    body: { userId: outsider!.id },
  });
  assert.equal(byMember.status, 403);
  assert.equal(codeOf(byMember.body), 'not_admin');
  const notFriend = await call('POST', addPath, {
    token: admin!.token,
    body: { userId: outsider!.id },
  });
  assert.equal(notFriend.status, 403);
  assert.equal(codeOf(notFriend.body), 'not_friends');

  const otherSocket = await connectSocket(instanceA, other!.token);
  try {
    const updated = nextEvent<Chat>(otherSocket, 'chat:updated', (c) => c.id === group.id);
    const added = await call<Chat>('POST', addPath, {
      token: admin!.token,
      body: { userId: other!.id },
    });
    assert.equal(added.status, 200);
    assert.equal(added.body.members.length, 3);
    assert.equal((await updated).members.length, 3, 'the new member hears of the chat');
  } finally {
    otherSocket.close();
  }
  const twice = await call<Chat>('POST', addPath, {
    token: admin!.token,
    body: { userId: other!.id },
  });
  assert.equal(twice.status, 200);
  assert.equal(twice.body.members.length, 3);

  const removePath = (userId: string) => `${instanceA}/api/v1/chats/${group.id}/members/${userId}`;
  assert.equal((await call('DELETE', removePath(other!.id), { token: friend!.token })).status, 403);
  assert.equal(
    (await call('DELETE', removePath(friend!.id), { token: friend!.token })).status,
    204,
  );
  assert.equal(
    (await chatOf(instanceA, friend!, group.id)).status,
    404,
    'a leaver no longer sees it',
  );
  assert.equal((await call('DELETE', removePath(other!.id), { token: admin!.token })).status, 204);
  assert.equal((await call('DELETE', removePath(other!.id), { token: admin!.token })).status, 404);

  const direct = await directChat(instanceA, admin!, friend!);
  const onDirect = await call('POST', `${instanceA}/api/v1/chats/${direct.id}/members`, {
    token: admin!.token,
    body: { userId: other!.id },
  });
  assert.equal(onDirect.status, 403);
  assert.equal(codeOf(onDirect.body), 'not_a_group');
});

test('when the last admin leaves, the longest-standing member becomes admin', async () => {
  const [admin, first, second] = await newUsers(3);
  await Promise.all([befriend(admin!, first!), befriend(admin!, second!)]);
  const group = await groupChat(instanceA, admin!, [first!, second!]);
  const left = await call('DELETE', `${instanceB}/api/v1/chats/${group.id}/members/${admin!.id}`, {
    token: admin!.token,
  });
  assert.equal(left.status, 204);
  const after = await chatOf(instanceA, first!, group.id);
  assert.deepEqual(
    after.body.members.map((m) => [m.userId, m.role]),
    [
      [first!.id, 'admin'],
      [second!.id, 'member'],
    ],
  );
});

test('membership changes are system messages in history, delivered live, in seq order', async () => {
  const [admin, friend, other] = await newUsers(3);
  await Promise.all([befriend(admin!, friend!), befriend(admin!, other!)]);
  const group = await groupChat(instanceA, admin!, [friend!]);
  const friendSocket = await connectSocket(instanceB, friend!.token);
  const otherSocket = await connectSocket(instanceA, other!.token);
  try {
    const joinedLive = nextEvent<Message>(
      friendSocket,
      'message:new',
      (m) => m.chatId === group.id,
    );
    const added = await call('POST', `${instanceB}/api/v1/chats/${group.id}/members`, {
      token: admin!.token,
      body: { userId: other!.id },
    });
    assert.equal(added.status, 200);
    assert.deepEqual((await joinedLive).system, {
      event: 'joined',
      actorId: admin!.id,
      subjectId: other!.id,
    });
    assert.equal((await send(instanceA, admin!, group.id, 'hello')).status, 201);
    const leftLive = nextEvent<Message>(
      otherSocket,
      'message:new',
      (m) => m.chatId === group.id && m.type === 'system',
    );
    const left = await call(
      'DELETE',
      `${instanceA}/api/v1/chats/${group.id}/members/${other!.id}`,
      {
        token: other!.token,
      },
    );
    assert.equal(left.status, 204);
    assert.equal((await leftLive).system?.event, 'left', 'the leaver hears of it once more');

    let afterLeave = 0;
    otherSocket.on('message:new', () => (afterLeave += 1));
    const lastLive = nextEvent<Message>(friendSocket, 'message:new', (m) => m.content === 'bye');
    assert.equal((await send(instanceB, admin!, group.id, 'bye')).status, 201);
    await lastLive;
    // The emit to every recipient's room is one adapter broadcast: give the other instance time.
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(afterLeave, 0, 'nothing reaches a member after they left');

    const story = (await history(instanceA, admin!, group.id)).map((m) => [
      m.seq,
      m.type,
      m.system?.event ?? m.content,
    ]);
    assert.deepEqual(story, [
      [1, 'system', 'joined'],
      [2, 'user', 'hello'],
      [3, 'system', 'left'],
      [4, 'user', 'bye'],
    ]);
    assert.equal((await send(instanceA, other!, group.id, 'still here?')).status, 404);
  } finally {
    friendSocket.close();
    otherSocket.close();
  }
});
