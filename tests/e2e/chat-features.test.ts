import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { topics, type Chat, type Message, type SyncAck } from '@messenger/contracts';
import { readEvents } from '@messenger/testkit/event-log';
import {
  befriend,
  call,
  register,
  type ApiResponse,
  type TestUser,
} from '@messenger/testkit/gateway/app-client';
import {
  closeAll,
  connectSocket,
  emitWithAck,
  instanceA,
  instanceB,
  nextEvent,
} from '@messenger/testkit/sockets';

interface Update {
  message: Message;
  changeSeq: number | null;
}
async function friends(): Promise<[TestUser, TestUser, Chat]> {
  const [a, b] = await Promise.all([register('chg'), register('chg')]);
  await befriend(a, b);
  const chat = await call<Chat>('POST', '/chats', {
    token: a.accessToken,
    body: { type: 'direct', userId: b.id },
  });
  assert.equal(chat.status, 201, JSON.stringify(chat.body));
  return [a, b, chat.body];
}

async function group(admin: TestUser, members: TestUser[]): Promise<Chat> {
  for (const member of members) await befriend(admin, member);
  const chat = await call<Chat>('POST', '/chats', {
    token: admin.accessToken,
    body: { type: 'group', name: 'Team', memberIds: members.map((m) => m.id) },
  });
  assert.equal(chat.status, 201, JSON.stringify(chat.body));
  return chat.body;
}

async function send(user: TestUser, chatId: string, content: string, extra = {}) {
  const sent = await call<Message>('POST', `/chats/${chatId}/messages`, {
    token: user.accessToken,
    body: { clientMsgId: randomUUID(), content, ...extra },
  });
  assert.equal(sent.status, 201, JSON.stringify(sent.body));
  return sent.body;
}

async function history(user: TestUser, chatId: string): Promise<Message[]> {
  const page = await call<{ items: Message[] }>('GET', `/chats/${chatId}/messages?limit=100`, {
    token: user.accessToken,
  });
  assert.equal(page.status, 200, JSON.stringify(page.body));
  return page.body.items;
}

function edit(
  user: TestUser,
  message: Message,
  content: unknown,
): Promise<ApiResponse<Message & { code?: string }>> {
  return call<Message & { code?: string }>(
    'PATCH',
    `/chats/${message.chatId}/messages/${message.id}`,
    {
      token: user.accessToken,
      body: { content },
    },
  );
}

function remove(user: TestUser, message: Message, scope?: string): Promise<ApiResponse> {
  const query = scope === undefined ? '' : `?for=${scope}`;
  return call('DELETE', `/chats/${message.chatId}/messages/${message.id}${query}`, {
    token: user.accessToken,
  });
}

function react(user: TestUser, message: Message, emoji: string, method = 'PUT') {
  return call(
    method,
    `/chats/${message.chatId}/messages/${message.id}/reactions/${encodeURIComponent(emoji)}`,
    { token: user.accessToken },
  );
}

test('the author edits a message: history shows the latest text, every device hears it live', async () => {
  const [a, b, chat] = await friends();
  const stranger = await register('chg');
  const message = await send(a, chat.id, 'see you at 10');
  // b's socket is on the other instance than a's: the update crosses instances through Kafka.
  const [onA, onB] = await Promise.all([
    connectSocket(instanceA, a.accessToken),
    connectSocket(instanceB, b.accessToken),
  ]);
  try {
    const heard = nextEvent<Update>(onB, 'message:updated', (u) => u.message.id === message.id);
    const edited = await edit(a, message, 'see you at 11');
    assert.equal(edited.status, 200, JSON.stringify(edited.body));
    assert.equal(edited.body.content, 'see you at 11');
    assert.ok(edited.body.editedAt, 'editedAt is set');
    const update = await heard;
    assert.equal(update.message.content, 'see you at 11');
    assert.ok(typeof update.changeSeq === 'number' && update.changeSeq >= 1);
    const [seen] = await history(b, chat.id);
    assert.equal(seen?.content, 'see you at 11');
    assert.equal(seen.seq, message.seq);
    assert.equal(seen.editedAt, edited.body.editedAt);

    assert.equal((await edit(a, message, 'see you at 11')).status, 200, 'the same text again');
    const notAuthor = await edit(b, message, 'mine now');
    assert.equal(notAuthor.status, 403);
    assert.equal(notAuthor.body.code, 'not_author');
    assert.equal((await edit(stranger, message, 'x')).status, 404);
    for (const bad of ['', '   ', 'a\u0000b', 'x'.repeat(4001), 42, null])
      assert.equal((await edit(a, message, bad)).status, 400, `content ${JSON.stringify(bad)}`);
    const badId = await call('PATCH', `/chats/${chat.id}/messages/not-a-uuid`, {
      token: a.accessToken,
      body: { content: 'x' },
    });
    assert.equal(badId.status, 400);
    assert.equal((await edit(a, { ...message, id: randomUUID() }, 'x')).status, 404);
  } finally {
    closeAll(onA, onB);
  }
});

test('delete for everyone leaves a tombstone; delete for me hides it for me alone', async () => {
  const [a, b, chat] = await friends();
  const gone = await send(a, chat.id, 'oops, wrong chat');
  const mine = await send(b, chat.id, 'keep this for a');
  const onA = await connectSocket(instanceB, a.accessToken);
  try {
    assert.equal((await remove(a, gone)).status, 400, 'for= is required');
    const notAuthor = await remove(b, gone, 'everyone');
    assert.equal(notAuthor.status, 403);
    assert.equal(notAuthor.body.code, 'not_author');
    const heard = nextEvent<Update>(onA, 'message:updated', (u) => u.message.id === gone.id);
    assert.equal((await remove(a, gone, 'everyone')).status, 204);
    assert.equal((await remove(a, gone, 'everyone')).status, 204, 'a repeat is a no-op');
    const update = await heard;
    assert.equal(update.message.deleted, true);
    assert.equal(update.message.content, null);
    for (const reader of [a, b]) {
      const tombstone = (await history(reader, chat.id)).find((m) => m.id === gone.id);
      assert.equal(tombstone?.deleted, true);
      assert.equal(tombstone.content, null);
      assert.equal(tombstone.seq, gone.seq, 'the tombstone keeps its seq');
    }
    const editDeleted = await edit(a, gone, 'back');
    assert.equal(editDeleted.status, 409);
    assert.equal(editDeleted.body.code, 'message_deleted');

    assert.equal((await remove(a, mine, 'me')).status, 204);
    const forA = (await history(a, chat.id)).find((m) => m.id === mine.id);
    const forB = (await history(b, chat.id)).find((m) => m.id === mine.id);
    assert.equal(forA?.deleted, true);
    assert.equal(forB?.content, 'keep this for a');
  } finally {
    closeAll(onA);
  }
});

test("a device that was away learns of its user's deletes for themselves through sync", async () => {
  const [a, b, chat] = await friends();
  const hidden = await send(b, chat.id, 'hide me');
  const kept = await send(b, chat.id, 'keep me');
  const chats = (afterHideSeq?: number) => [
    { chatId: chat.id, afterSeq: kept.seq, afterChangeSeq: 0, afterHideSeq },
  ];
  const away = await connectSocket(instanceA, a.accessToken);
  const before = await emitWithAck<SyncAck>(away, 'sync', { chats: chats() });
  closeAll(away);
  assert.equal(before.chats[0]?.hideSeq, 0, 'nothing hidden yet');

  assert.equal((await remove(a, hidden, 'me')).status, 204);
  assert.equal((await remove(a, hidden, 'me')).status, 204, 'a repeat is a no-op');
  assert.equal((await remove(b, kept, 'me')).status, 204, "the other's delete is theirs");

  const back = await connectSocket(instanceA, a.accessToken);
  const onB = await connectSocket(instanceB, b.accessToken);
  try {
    const caughtUp = await emitWithAck<SyncAck>(back, 'sync', { chats: chats(0) });
    assert.deepEqual(
      caughtUp.updated.map((m) => [m.id, m.deleted, m.content]),
      [[hidden.id, true, null]],
      'only its own delete, once, as a tombstone',
    );
    assert.equal(caughtUp.chats[0]?.hideSeq, 1);
    const again = await emitWithAck<SyncAck>(back, 'sync', { chats: chats(1) });
    assert.deepEqual(again.updated, [], 'nothing new from its position');
    const forB = await emitWithAck<SyncAck>(onB, 'sync', { chats: chats(0) });
    assert.deepEqual(
      forB.updated.map((m) => [m.id, m.deleted]),
      [[kept.id, true]],
    );
  } finally {
    closeAll(back, onB);
  }
});

test('reactions: one per user and emoji, counted with "me", live to each member', async () => {
  const [a, b, chat] = await friends();
  const message = await send(a, chat.id, 'lunch?');
  const onA = await connectSocket(instanceA, a.accessToken);
  try {
    const heard = nextEvent<Update>(
      onA,
      'message:updated',
      (u) => u.message.id === message.id && u.message.reactions.some((r) => r.emoji === '❤️'),
    );
    assert.equal((await react(b, message, '👍')).status, 204);
    assert.equal((await react(b, message, '👍')).status, 204, 'idempotent');
    assert.equal((await react(a, message, '👍')).status, 204);
    assert.equal((await react(a, message, '❤️')).status, 204);
    // The update that shows a's last reaction shows a among both emoji's users.
    assert.deepEqual((await heard).message.reactions, [
      { emoji: '👍', count: 2, me: true },
      { emoji: '❤️', count: 1, me: true },
    ]);
    const [forA] = await history(a, chat.id);
    const [forB] = await history(b, chat.id);
    assert.deepEqual(forA?.reactions, [
      { emoji: '👍', count: 2, me: true },
      { emoji: '❤️', count: 1, me: true },
    ]);
    assert.deepEqual(forB?.reactions, [
      { emoji: '👍', count: 2, me: true },
      { emoji: '❤️', count: 1, me: false },
    ]);
    assert.equal((await react(b, message, '👍', 'DELETE')).status, 204);
    assert.equal((await react(b, message, '👍', 'DELETE')).status, 204, 'idempotent');
    const [after] = await history(b, chat.id);
    assert.deepEqual(after?.reactions, [
      { emoji: '❤️', count: 1, me: false },
      { emoji: '👍', count: 1, me: false },
    ]);
    for (const bad of ['x', 'ab', '👍👍', '1', '%20'])
      assert.equal((await react(a, message, bad)).status, 400, `emoji ${bad}`);

    // A block ends reacting in a direct chat; taking a reaction back still works.
    assert.equal((await call('POST', `/blocks/${a.id}`, { token: b.accessToken })).status, 201);
    const blocked = await react(b, message, '🎉');
    assert.equal(blocked.status, 403);
    assert.equal(blocked.body['code'], 'blocked');
  } finally {
    closeAll(onA);
  }
});

test('a message carries at most 20 distinct emoji', async () => {
  const [a, , chat] = await friends();
  const message = await send(a, chat.id, 'react away');
  const emoji = '😀 😃 😄 😁 😆 😅 😂 🤣 😊 😇 🙂 🙃 😉 😌 😍 🥰 😘 😗 😙 😚'.split(' ');
  for (const e of emoji) assert.equal((await react(a, message, e)).status, 204, e);
  const over = await react(a, message, '🤖');
  assert.equal(over.status, 409);
  assert.equal(over.body['code'], 'reaction_limit');
  assert.equal((await react(a, message, '😀')).status, 204, 'an emoji already there still may');
});

test('a reply quotes a message of the chat, and its snippet follows edits and deletes', async () => {
  const [a, b, chat] = await friends();
  const [x, , other] = await friends();
  const foreignMessage = await send(x, other.id, 'not yours');
  const quoted = await send(a, chat.id, 'Which day works?');
  const reply = await send(b, chat.id, 'Tuesday', { replyToId: quoted.id });
  assert.deepEqual(reply.replyTo, {
    id: quoted.id,
    seq: quoted.seq,
    senderId: a.id,
    snippet: 'Which day works?',
    deleted: false,
  });
  assert.equal((await edit(a, quoted, 'Which day works for you?')).status, 200);
  const afterEdit = (await history(b, chat.id)).find((m) => m.id === reply.id);
  assert.equal(afterEdit?.replyTo?.snippet, 'Which day works for you?');
  assert.equal((await remove(a, quoted, 'everyone')).status, 204);
  const afterDelete = (await history(b, chat.id)).find((m) => m.id === reply.id);
  assert.deepEqual(afterDelete?.replyTo, { ...reply.replyTo, snippet: '', deleted: true });

  for (const replyToId of [foreignMessage.id, randomUUID()]) {
    const refused = await call('POST', `/chats/${chat.id}/messages`, {
      token: b.accessToken,
      body: { clientMsgId: randomUUID(), content: 'x', replyToId },
    });
    assert.equal(refused.status, 400);
    assert.equal(refused.body['code'], 'reply_not_found');
  }
});

test('group admins rename, promote and demote; each change is a system message and an event', async () => {
  const [admin, member, third] = await Promise.all([
    register('adm'),
    register('adm'),
    register('adm'),
  ]);
  const chat = await group(admin, [member, third]);
  const events = await readEvents(topics.message);
  try {
    const refused = await call('PATCH', `/chats/${chat.id}`, {
      token: member.accessToken,
      body: { name: 'Mine' },
    });
    assert.equal(refused.status, 403);
    assert.equal(refused.body['code'], 'not_admin');
    const renamed = await call<Chat>('PATCH', `/chats/${chat.id}`, {
      token: admin.accessToken,
      body: { name: '  Release crew ', avatarUrl: 'https://example.com/a.png' },
    });
    assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
    assert.equal(renamed.body.name, 'Release crew');
    assert.equal(renamed.body.avatarUrl, 'https://example.com/a.png');
    const seenByMember = await call<Chat>('GET', `/chats/${chat.id}`, {
      token: member.accessToken,
    });
    assert.equal(seenByMember.body.name, 'Release crew');
    for (const body of [{}, { name: '' }, { name: 'x'.repeat(101) }, { avatarUrl: 'http://x' }])
      assert.equal(
        (await call('PATCH', `/chats/${chat.id}`, { token: admin.accessToken, body })).status,
        400,
        JSON.stringify(body),
      );

    const lastAdmin = await call('PUT', `/chats/${chat.id}/members/${admin.id}/role`, {
      token: admin.accessToken,
      body: { role: 'member' },
    });
    assert.equal(lastAdmin.status, 409);
    assert.equal(lastAdmin.body['code'], 'last_admin');
    const promoted = await call<Chat>('PUT', `/chats/${chat.id}/members/${member.id}/role`, {
      token: admin.accessToken,
      body: { role: 'admin' },
    });
    assert.equal(promoted.status, 200);
    assert.equal(promoted.body.members.find((m) => m.userId === member.id)?.role, 'admin');
    // The new admin now may do what admins do.
    const demoted = await call<Chat>('PUT', `/chats/${chat.id}/members/${admin.id}/role`, {
      token: member.accessToken,
      body: { role: 'member' },
    });
    assert.equal(demoted.status, 200);
    assert.equal(
      (
        await call('PUT', `/chats/${chat.id}/members/${third.id}/role`, {
          token: third.accessToken,
          body: { role: 'admin' },
        })
      ).status,
      403,
    );
    assert.equal(
      (
        await call('PUT', `/chats/${chat.id}/members/${third.id}/role`, {
          token: member.accessToken,
          body: { role: 'owner' },
        })
      ).status,
      400,
    );

    const system = (await history(third, chat.id)).filter((m) => m.type === 'system');
    assert.deepEqual(
      system.slice(-3).map((m) => m.system?.event),
      ['renamed', 'role_changed', 'role_changed'],
    );
    await events.find(
      (e) => e.type === 'chat.renamed' && e.data['chatId'] === chat.id,
      'chat.renamed',
    );
    await events.find(
      (e) =>
        e.type === 'chat.member_role_changed' &&
        e.data['chatId'] === chat.id &&
        e.data['userId'] === member.id &&
        e.data['role'] === 'admin',
      'chat.member_role_changed',
    );

    const direct = await call<Chat>('POST', '/chats', {
      token: admin.accessToken,
      body: { type: 'direct', userId: third.id },
    });
    const notGroup = await call('PATCH', `/chats/${direct.body.id}`, {
      token: admin.accessToken,
      body: { name: 'x' },
    });
    assert.equal(notGroup.status, 403);
    assert.equal(notGroup.body['code'], 'not_a_group');
  } finally {
    await events.close();
  }
});

test('pins: admins pin in a group, either member in a direct chat; a deleted message is unpinned', async () => {
  const [admin, member] = await Promise.all([register('pin'), register('pin')]);
  const chat = await group(admin, [member]);
  const message = await send(member, chat.id, 'the plan');
  const pin = (user: TestUser, method = 'PUT') =>
    call(method, `/chats/${chat.id}/pins/${message.id}`, { token: user.accessToken });
  const refused = await pin(member);
  assert.equal(refused.status, 403);
  assert.equal(refused.body['code'], 'not_admin');
  assert.equal((await pin(admin)).status, 204);
  assert.equal((await pin(admin)).status, 204, 'idempotent');
  const pins = await call<{ items: { message: Message; pinnedBy: string }[] }>(
    'GET',
    `/chats/${chat.id}/pins`,
    { token: member.accessToken },
  );
  assert.equal(pins.status, 200);
  assert.deepEqual(
    pins.body.items.map((p) => [p.message.id, p.pinnedBy]),
    [[message.id, admin.id]],
  );
  assert.equal((await remove(member, message, 'everyone')).status, 204);
  const afterDelete = await call<{ items: unknown[] }>('GET', `/chats/${chat.id}/pins`, {
    token: admin.accessToken,
  });
  assert.deepEqual(afterDelete.body.items, []);

  const [a, b, direct] = await friends();
  const note = await send(a, direct.id, 'address: 1 Main St');
  assert.equal(
    (await call('PUT', `/chats/${direct.id}/pins/${note.id}`, { token: b.accessToken })).status,
    204,
  );
  const stranger = await register('pin');
  assert.equal(
    (await call('GET', `/chats/${direct.id}/pins`, { token: stranger.accessToken })).status,
    404,
  );
});

test('an offline device catches up through sync: every edit, delete and reaction once, in order', async () => {
  const [a, b, chat] = await friends();
  const first = await send(a, chat.id, 'one');
  const second = await send(a, chat.id, 'two');
  const third = await send(b, chat.id, 'three');
  const device = await connectSocket(instanceA, b.accessToken);
  let cursor: SyncAck['chats'][number];
  try {
    const initial = await emitWithAck<SyncAck>(device, 'sync', {
      chats: [{ chatId: chat.id, afterSeq: 0 }],
    });
    assert.deepEqual(
      initial.messages.map((m) => m.seq),
      [1, 2, 3],
    );
    cursor = initial.chats[0] ?? assert.fail('a cursor per chat');
    assert.equal(cursor.upToSeq, 3);
    assert.equal(cursor.more, false);
    const invalid = await emitWithAck<{ error?: { code: string } }>(device, 'sync', {
      chats: [{ chatId: chat.id, afterSeq: 0, afterChangeSeq: -1 }],
    });
    assert.equal(invalid.error?.code, 'validation_failed');
  } finally {
    closeAll(device);
  }
  // Offline: three changes to messages the device has, and a new message.
  assert.equal((await edit(a, first, 'one (edited)')).status, 200);
  assert.equal((await react(a, third, '🔥')).status, 204);
  assert.equal((await remove(a, second, 'everyone')).status, 204);
  assert.equal((await edit(a, first, 'one (edited twice)')).status, 200);
  const fourth = await send(a, chat.id, 'four');

  const back = await connectSocket(instanceB, b.accessToken);
  try {
    const caughtUp = await emitWithAck<SyncAck>(back, 'sync', {
      chats: [{ chatId: chat.id, afterSeq: cursor.upToSeq, afterChangeSeq: cursor.changeSeq }],
    });
    assert.deepEqual(
      caughtUp.messages.map((m) => m.id),
      [fourth.id],
    );
    // Each changed message once, as it is now, in the order of its last change.
    assert.deepEqual(
      caughtUp.updated.map((m) => [m.seq, m.content]),
      [
        [third.seq, 'three'],
        [second.seq, null],
        [first.seq, 'one (edited twice)'],
      ],
    );
    assert.deepEqual(caughtUp.updated[0]?.reactions, [{ emoji: '🔥', count: 1, me: false }]);
    const next = caughtUp.chats[0] ?? assert.fail('a cursor per chat');
    assert.equal(next.changeSeq, cursor.changeSeq + 4);
    const again = await emitWithAck<SyncAck>(back, 'sync', {
      chats: [{ chatId: chat.id, afterSeq: next.upToSeq, afterChangeSeq: next.changeSeq }],
    });
    assert.deepEqual([again.messages, again.updated], [[], []], 'nothing is given twice');
  } finally {
    closeAll(back);
  }
});

test('someone outside the chat gets 404 from every new operation, and learns nothing', async () => {
  const [a, , chat] = await friends();
  const stranger = await register('chg');
  const message = await send(a, chat.id, 'private');
  const base = `/chats/${chat.id}`;
  const attempts: [string, string, unknown?][] = [
    ['PATCH', `${base}/messages/${message.id}`, { content: 'x' }],
    ['DELETE', `${base}/messages/${message.id}?for=everyone`],
    ['DELETE', `${base}/messages/${message.id}?for=me`],
    ['PUT', `${base}/messages/${message.id}/reactions/${encodeURIComponent('👍')}`],
    ['DELETE', `${base}/messages/${message.id}/reactions/${encodeURIComponent('👍')}`],
    ['GET', `${base}/pins`],
    ['PUT', `${base}/pins/${message.id}`],
    ['DELETE', `${base}/pins/${message.id}`],
    ['PATCH', base, { name: 'mine' }],
    ['PUT', `${base}/members/${a.id}/role`, { role: 'member' }],
  ];
  for (const [method, path, body] of attempts) {
    const answer = await call(method, path, { token: stranger.accessToken, body });
    assert.equal(answer.status, 404, `${method} ${path}`);
  }
  const [unchanged] = await history(a, chat.id);
  assert.equal(unchanged?.content, 'private');
  assert.equal(unchanged.deleted, false);
});

test('bad input on every new route and on the socket is a 400 or a validation_failed ack', async () => {
  const [a, , chat] = await friends();
  const message = await send(a, chat.id, 'target');
  const base = `/chats/${chat.id}`;
  const attempts: [string, string, unknown?][] = [
    ['PATCH', `${base}/messages/nope`, { content: 'x' }],
    ['DELETE', `${base}/messages/nope?for=everyone`],
    ['DELETE', `${base}/messages/${message.id}?for=nobody`],
    ['PUT', `${base}/messages/nope/reactions/${encodeURIComponent('👍')}`],
    ['PUT', `${base}/messages/${message.id}/reactions/${encodeURIComponent('x'.repeat(40))}`],
    ['GET', `/chats/nope/pins`],
    ['PUT', `${base}/pins/nope`],
    ['DELETE', `${base}/pins/nope`],
    ['PATCH', '/chats/nope', { name: 'x' }],
    ['PATCH', base, { name: 42 }],
    ['PUT', `${base}/members/nope/role`, { role: 'admin' }],
    ['PUT', `${base}/members/${a.id}/role`, {}],
    ['POST', `${base}/messages`, { clientMsgId: randomUUID(), content: 'x', replyToId: 'nope' }],
    [
      'POST',
      `${base}/messages`,
      { clientMsgId: randomUUID(), content: 'x', attachmentIds: Array(11).fill(randomUUID()) },
    ],
    ['POST', `${base}/messages`, { clientMsgId: randomUUID(), content: '' }],
  ];
  for (const [method, path, body] of attempts) {
    const answer = await call(method, path, { token: a.accessToken, body });
    assert.equal(answer.status, 400, `${method} ${path} ${JSON.stringify(body)}`);
    assert.equal(answer.headers.get('content-type')?.split(';')[0], 'application/problem+json');
  }
  const socket = await connectSocket(instanceA, a.accessToken);
  try {
    for (const payload of [
      { chatId: chat.id, clientMsgId: randomUUID(), content: 'x', replyToId: 42 },
      { chatId: chat.id, clientMsgId: randomUUID(), content: '' },
    ]) {
      const ack = await emitWithAck<{ error?: { code: string } }>(socket, 'message:send', payload);
      assert.equal(ack.error?.code, 'validation_failed', JSON.stringify(payload));
    }
  } finally {
    closeAll(socket);
  }
});
