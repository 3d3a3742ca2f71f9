import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Chat, Message, UploadTicket } from '@messenger/contracts';
import { download, putFile, someBytes } from '@messenger/testkit/messaging/attachments';
import { emitWithAck, nextEvent } from '@messenger/testkit/sockets';
import {
  befriend,
  call,
  connectSocket,
  register,
  type TestUser,
} from '@messenger/testkit/gateway/app-client';

async function friendsChat(): Promise<{ a: TestUser; b: TestUser; chat: Chat }> {
  const [a, b] = await Promise.all([register('files'), register('files')]);
  await befriend(a, b);
  const created = await call<Chat>('POST', '/chats', {
    token: a.accessToken,
    body: { type: 'direct', userId: b.id },
  });
  assert.ok(created.status === 201 || created.status === 200, JSON.stringify(created.body));
  return { a, b, chat: created.body };
}

function startUpload(user: TestUser, body: Record<string, unknown>) {
  return call<UploadTicket>('POST', '/uploads', { token: user.accessToken, body });
}

test('a file through the gateway: upload, send, live to the other member, history, the bytes', async () => {
  const { a, b, chat } = await friendsChat();
  const bytes = someBytes(4096);
  const ticket = await startUpload(a, {
    chatId: chat.id,
    mimeType: 'image/webp',
    size: bytes.length,
    width: 320,
    height: 200,
  });
  assert.equal(ticket.status, 201, JSON.stringify(ticket.body));
  assert.ok(Date.parse(ticket.body.expiresAt) > Date.now(), 'the upload URL has not expired');
  assert.equal((await putFile(ticket.body, bytes)).status, 200);

  const socketA = await connectSocket(a.accessToken);
  const socketB = await connectSocket(b.accessToken);
  try {
    const live = nextEvent<Message>(socketB, 'message:new', (m) => m.chatId === chat.id);
    const ack = await emitWithAck<{ message?: Message; error?: unknown }>(socketA, 'message:send', {
      chatId: chat.id,
      clientMsgId: randomUUID(),
      content: 'the view from here',
      attachmentIds: [ticket.body.attachmentId],
    });
    assert.ok(ack.message, JSON.stringify(ack));
    const pushed = await live;
    assert.equal(pushed.id, ack.message.id);
    const [liveFile] = pushed.attachments;
    assert.ok(liveFile, 'the live message carries the attachment');
    assert.deepEqual((await download(liveFile.url)).bytes, bytes);
  } finally {
    socketA.close();
    socketB.close();
  }

  const page = await call<{ items: Message[] }>('GET', `/chats/${chat.id}/messages?afterSeq=0`, {
    token: b.accessToken,
  });
  assert.equal(page.status, 200);
  const [file] = page.body.items.at(-1)?.attachments ?? [];
  assert.ok(file, 'history shows the attachment');
  assert.deepEqual(
    { id: file.id, mimeType: file.mimeType, size: file.size, w: file.width, h: file.height },
    { id: ticket.body.attachmentId, mimeType: 'image/webp', size: 4096, w: 320, h: 200 },
  );
  const fetched = await download(file.url);
  assert.equal(fetched.status, 200);
  assert.equal(fetched.contentType, 'image/webp');
  assert.deepEqual(fetched.bytes, bytes);
});

test('through the gateway a non-member cannot upload to the chat, nor send its files', async () => {
  const { a, chat } = await friendsChat();
  const outsider = await register('files');
  const refused = await startUpload(outsider, { chatId: chat.id, mimeType: 'image/png', size: 1 });
  assert.equal(refused.status, 404);
  assert.equal((refused.body as { code?: string }).code, 'not_found');
  const ticket = await startUpload(a, { chatId: chat.id, mimeType: 'text/plain', size: 2 });
  assert.equal((await putFile(ticket.body, someBytes(2))).status, 200);
  const stolen = await call('POST', `/chats/${chat.id}/messages`, {
    token: outsider.accessToken,
    body: { clientMsgId: randomUUID(), content: 'mine', attachmentIds: [ticket.body.attachmentId] },
  });
  assert.equal(stolen.status, 404);
});

test('bad input on POST /uploads through the gateway is a 4xx problem', async () => {
  const { a, chat } = await friendsChat();
  for (const body of [
    { chatId: chat.id, mimeType: 'text/html', size: 10 },
    { chatId: chat.id, mimeType: 'image/png', size: 26 * 1024 * 1024 },
    { chatId: chat.id, mimeType: 'image/png' },
    { chatId: 42, mimeType: 'image/png', size: 10 },
  ]) {
    const answer = await startUpload(a, body);
    assert.equal(answer.status, 400, JSON.stringify(body));
    assert.match(answer.headers.get('content-type') ?? '', /^application\/problem\+json/);
  }
  const anonymous = await call('POST', '/uploads', {
    body: { chatId: chat.id, mimeType: 'image/png', size: 1 },
  });
  assert.equal(anonymous.status, 401);
});
