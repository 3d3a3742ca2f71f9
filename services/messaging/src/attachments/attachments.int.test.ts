import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { MAX_ATTACHMENT_BYTES, type Message } from '@messenger/contracts';
import {
  download,
  putFile,
  s3,
  sendAttachments,
  someBytes,
  startUpload,
  uploadFile,
} from '@messenger/testkit/messaging/attachments';
import { directChat, groupChat, history } from '@messenger/testkit/messaging/chats';
import { forgetChats } from '@messenger/testkit/messaging/cleanup';
import { call } from '@messenger/testkit/http';
import { connectSocket, emitWithAck, instanceA, instanceB } from '@messenger/testkit/sockets';
import { befriend } from '@messenger/testkit/social';
import { newUsers, type TestUser } from '@messenger/testkit/users';

const admin = new S3Client({
  endpoint: s3.endpoint,
  region: s3.region,
  forcePathStyle: true,
  credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
});
after(() => {
  admin.destroy();
  return forgetChats();
});

async function friendsChat(): Promise<{ a: TestUser; b: TestUser; chatId: string }> {
  const [a, b] = await newUsers(2);
  await befriend(a!, b!);
  const chat = await directChat(instanceA, a!, b!);
  return { a: a!, b: b!, chatId: chat.id };
}

const codeOf = (answer: { body: unknown }) => (answer.body as { code?: unknown }).code;
const png = (length: number) => ({ mimeType: 'image/png', bytes: someBytes(length) });

test('a member uploads a file, sends it, and the other member reads it through its URL', async () => {
  const { a, b, chatId } = await friendsChat();
  const file = { ...png(2048), width: 640, height: 480 };
  const attachmentId = await uploadFile(instanceA, a, chatId, file);
  const sent = await sendAttachments(instanceB, a, chatId, [attachmentId], { content: 'look' });
  assert.equal(sent.status, 201, JSON.stringify(sent.body));
  const [shown] = sent.body.attachments;
  assert.deepEqual(
    { ...shown, url: undefined },
    {
      id: attachmentId,
      mimeType: 'image/png',
      size: 2048,
      width: 640,
      height: 480,
      url: undefined,
    },
  );
  const read = (await history(instanceB, b, chatId)).find((m) => m.id === sent.body.id);
  assert.ok(read, 'the other member reads the message');
  assert.equal(read.attachments.length, 1);
  const [readAttachment] = read.attachments;
  assert.ok(readAttachment);
  const fetched = await download(readAttachment.url);
  assert.equal(fetched.status, 200);
  assert.equal(fetched.contentType, 'image/png');
  assert.deepEqual(fetched.bytes, file.bytes);
  assert.match(readAttachment.url, /X-Amz-Expires=3600/, 'the URL expires in an hour');
});

test('a device catching up through sync gets the files with URLs that fetch them', async () => {
  const { a, b, chatId } = await friendsChat();
  const file = { mimeType: 'audio/ogg', bytes: someBytes(777) };
  const attachmentId = await uploadFile(instanceB, a, chatId, file);
  assert.equal((await sendAttachments(instanceA, a, chatId, [attachmentId])).status, 201);
  const socket = await connectSocket(instanceB, b.token);
  try {
    const ack = await emitWithAck<{ messages: Message[] }>(socket, 'sync', {
      chats: [{ chatId, afterSeq: 0 }],
    });
    const [synced] = ack.messages;
    assert.ok(synced, JSON.stringify(ack));
    const [attachment] = synced.attachments;
    assert.ok(attachment);
    assert.equal(attachment.id, attachmentId);
    assert.deepEqual((await download(attachment.url)).bytes, file.bytes);
  } finally {
    socket.close();
  }
});

test('a message deleted for everyone loses its files: no attachment in views, the old URL finds nothing', async () => {
  const { a, b, chatId } = await friendsChat();
  const attachmentId = await uploadFile(instanceA, a, chatId, png(300));
  const sent = await sendAttachments(instanceA, a, chatId, [attachmentId]);
  const url = sent.body.attachments[0]?.url ?? '';
  assert.equal((await download(url)).status, 200);
  const deleted = await call(
    'DELETE',
    `${instanceB}/api/v1/chats/${chatId}/messages/${sent.body.id}?for=everyone`,
    { token: a.token },
  );
  assert.equal(deleted.status, 204);
  const [read] = await history(instanceA, b, chatId);
  assert.ok(read);
  assert.equal(read.deleted, true);
  assert.deepEqual(read.attachments, []);
  assert.equal((await download(url)).status, 404, 'the file is gone from the store');
});

test('a message of attachments only, and mediaUrl beside them, both work', async () => {
  const { a, b, chatId } = await friendsChat();
  const ids = await Promise.all(
    [1, 2, 3].map((n) =>
      uploadFile(instanceA, a, chatId, { mimeType: 'application/pdf', bytes: someBytes(n * 100) }),
    ),
  );
  const answer = await call<Message>('POST', `${instanceA}/api/v1/chats/${chatId}/messages`, {
    token: a.token,
    body: {
      clientMsgId: randomUUID(),
      mediaUrl: 'https://cdn.example.com/a.png',
      attachmentIds: ids,
    },
  });
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
  assert.equal(answer.body.mediaUrl, 'https://cdn.example.com/a.png');
  const [read] = await history(instanceB, b, chatId);
  assert.deepEqual(
    read?.attachments.map((x) => [x.id, x.size]),
    ids.map((id, i) => [id, (i + 1) * 100]),
    'in the order sent',
  );
});

test('only a member starts an upload, and only the uploader sends it, in its chat', async () => {
  const [a, b, outsider] = await newUsers(3);
  await Promise.all([befriend(a!, b!), befriend(a!, outsider!)]);
  const chat = await directChat(instanceA, a!, b!);
  const other = await directChat(instanceA, a!, outsider!);
  const refused = await startUpload(instanceA, outsider!, {
    chatId: chat.id,
    mimeType: 'image/png',
    size: 10,
  });
  assert.equal(refused.status, 404);
  assert.equal(codeOf(refused), 'not_found');
  const unknownChat = await startUpload(instanceB, a!, {
    chatId: randomUUID(),
    mimeType: 'image/png',
    size: 10,
  });
  assert.equal(unknownChat.status, 404);

  const attachmentId = await uploadFile(instanceA, a!, chat.id, png(10));
  const byOther = await sendAttachments(instanceA, b!, chat.id, [attachmentId]);
  assert.equal(byOther.status, 404);
  assert.equal(codeOf(byOther), 'attachment_not_found');
  const elsewhere = await sendAttachments(instanceB, a!, other.id, [attachmentId]);
  assert.equal(elsewhere.status, 404, 'an upload for another chat');
  assert.equal(codeOf(elsewhere), 'attachment_not_found');
  const unknown = await sendAttachments(instanceB, a!, chat.id, [randomUUID()]);
  assert.equal(codeOf(unknown), 'attachment_not_found');
  assert.equal((await history(instanceA, a!, chat.id)).length, 0, 'no message was stored');
});

test('a file not uploaded, or stored otherwise than declared, is refused on send', async () => {
  const { a, chatId } = await friendsChat();
  const ticket = await startUpload(instanceA, a, { chatId, mimeType: 'image/jpeg', size: 100 });
  assert.equal(ticket.status, 201);
  assert.equal(ticket.body.method, 'PUT');
  assert.deepEqual(ticket.body.headers, { 'Content-Type': 'image/jpeg' });
  const notYet = await sendAttachments(instanceA, a, chatId, [ticket.body.attachmentId]);
  assert.equal(notYet.status, 409);
  assert.equal(codeOf(notYet), 'attachment_not_uploaded');

  // Only the store's owner can write another length there; the signed URL cannot.
  const wrongSize = await putFile(ticket.body, someBytes(101));
  assert.equal(wrongSize.status, 403, 'S3 refuses another length');
  await admin.send(
    new PutObjectCommand({
      Bucket: s3.bucket,
      Key: `${chatId}/${ticket.body.attachmentId}`,
      Body: someBytes(99),
      ContentType: 'image/jpeg',
    }),
  );
  const tampered = await sendAttachments(instanceB, a, chatId, [ticket.body.attachmentId]);
  assert.equal(tampered.status, 409);
  assert.equal(codeOf(tampered), 'attachment_not_uploaded');

  const right = await putFile(ticket.body, someBytes(100));
  assert.equal(right.status, 200);
  const sent = await sendAttachments(instanceB, a, chatId, [ticket.body.attachmentId]);
  assert.equal(sent.status, 201);
});

test('an attachment goes on one message; a retry of that send gets its message again', async () => {
  const { a, b, chatId } = await friendsChat();
  const attachmentId = await uploadFile(instanceA, a, chatId, png(64));
  const clientMsgId = randomUUID();
  const first = await sendAttachments(instanceA, a, chatId, [attachmentId], { clientMsgId });
  assert.equal(first.status, 201);
  const second = await sendAttachments(instanceB, a, chatId, [attachmentId]);
  assert.equal(second.status, 409);
  assert.equal(codeOf(second), 'attachment_taken');
  const retry = await sendAttachments(instanceB, a, chatId, [attachmentId], { clientMsgId });
  assert.equal(retry.status, 200);
  assert.equal(retry.body.id, first.body.id);
  assert.deepEqual(
    (await history(instanceA, b, chatId)).map((m) => m.id),
    [first.body.id],
  );
});

test('a send refused part-way gives back the attachments it took', async () => {
  const { a, chatId } = await friendsChat();
  const free = await uploadFile(instanceA, a, chatId, png(30));
  const taken = await uploadFile(instanceA, a, chatId, png(31));
  assert.equal((await sendAttachments(instanceA, a, chatId, [taken])).status, 201);
  const refused = await sendAttachments(instanceA, a, chatId, [free, taken]);
  assert.equal(codeOf(refused), 'attachment_taken');
  const later = await sendAttachments(instanceB, a, chatId, [free]);
  assert.equal(later.status, 201, 'the free one was not kept by the refused send');
});

test('at most 10 attachments, each once: 400', async () => {
  const { a, chatId } = await friendsChat();
  const eleven = Array.from({ length: 11 }, () => randomUUID());
  const tooMany = await sendAttachments(instanceA, a, chatId, eleven);
  assert.equal(tooMany.status, 400);
  assert.equal(codeOf(tooMany), 'validation_failed');
  const attachmentId = await uploadFile(instanceA, a, chatId, png(5));
  const twice = await sendAttachments(instanceA, a, chatId, [attachmentId, attachmentId]);
  assert.equal(twice.status, 400);
  const ten = await Promise.all(
    Array.from({ length: 9 }, () => uploadFile(instanceB, a, chatId, png(5))),
  );
  const sent = await sendAttachments(instanceB, a, chatId, [attachmentId, ...ten]);
  assert.equal(sent.status, 201, 'ten is allowed');
  assert.equal(sent.body.attachments.length, 10);
});

test('bad input on POST /uploads is a 4xx problem', async () => {
  const { a, chatId } = await friendsChat();
  const bodies: unknown[] = [
    {},
    { chatId: 'nope', mimeType: 'image/png', size: 1 },
    { chatId, mimeType: 'text/html', size: 1 },
    { chatId, mimeType: 'image/svg+xml', size: 1 },
    { chatId, mimeType: 'IMAGE/PNG', size: 1 },
    { chatId, mimeType: 'image/png', size: 0 },
    { chatId, mimeType: 'image/png', size: -1 },
    { chatId, mimeType: 'image/png', size: 1.5 },
    { chatId, mimeType: 'image/png', size: '10' },
    { chatId, mimeType: 'image/png', size: MAX_ATTACHMENT_BYTES + 1 },
    { chatId, mimeType: 'image/png', size: 10, width: 0 },
    { chatId, mimeType: 'image/png', size: 10, height: 20_001 },
    { chatId, mimeType: ['image/png'], size: 10 },
    [{ chatId, mimeType: 'image/png', size: 10 }],
  ];
  for (const body of bodies) {
    const answer = await call('POST', `${instanceA}/api/v1/uploads`, { token: a.token, body });
    assert.equal(answer.status, 400, JSON.stringify(body));
    assert.match(answer.contentType, /^application\/problem\+json/);
    assert.equal(answer.body['code'], 'validation_failed');
  }
  const malformed = await call('POST', `${instanceA}/api/v1/uploads`, {
    token: a.token,
    rawBody: '{"chatId":',
  });
  assert.equal(malformed.status, 400);
  const anonymous = await call('POST', `${instanceA}/api/v1/uploads`, {
    body: { chatId, mimeType: 'image/png', size: 1 },
  });
  assert.equal(anonymous.status, 401);
  const largest = await startUpload(instanceA, a, {
    chatId,
    mimeType: 'video/mp4',
    size: MAX_ATTACHMENT_BYTES,
  });
  assert.equal(largest.status, 201, '25 MiB is allowed');
});

test('racing sends of one attachment on different messages: exactly one takes it (10 rounds)', async () => {
  // A member of their own per round: eight racing sends a round stay within one user's send
  // rate (docs/api.md, "Real time"), ten rounds of one user's would not.
  const [admin, ...members] = (await newUsers(11)) as [TestUser, ...TestUser[]];
  await Promise.all(members.map((member) => befriend(admin, member)));
  const group = await groupChat(instanceA, admin, members);
  for (const [round, member] of members.entries()) {
    const attachmentId = await uploadFile(instanceA, member, group.id, png(16 + round));
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        sendAttachments(i % 2 ? instanceA : instanceB, member, group.id, [attachmentId]),
      ),
    );
    const statuses = answers.map((answer) => answer.status).sort();
    assert.deepEqual(statuses, [201, 409, 409, 409, 409, 409, 409, 409], `round ${round}`);
    assert.ok(answers.every((x) => x.status === 201 || codeOf(x) === 'attachment_taken'));
  }
  const carrying = (await history(instanceB, admin, group.id)).filter((m) => m.attachments.length);
  assert.equal(carrying.length, 10, 'one message per attachment');
  assert.equal(new Set(carrying.map((m) => m.attachments[0]!.id)).size, 10);
});

test('at most 20 uploads pending per user, also when started at once; a send frees its slots (3 rounds)', async () => {
  for (let round = 0; round < 3; round += 1) {
    const { a, b, chatId } = await friendsChat();
    const answers = await Promise.all(
      Array.from({ length: 26 }, (_, i) =>
        startUpload(i % 2 ? instanceA : instanceB, a, { chatId, mimeType: 'text/plain', size: 4 }),
      ),
    );
    const started = answers.filter((answer) => answer.status === 201);
    const refused = answers.filter((answer) => answer.status === 429);
    assert.equal(started.length, 20, `round ${round}`);
    assert.equal(refused.length, 6, `round ${round}`);
    assert.equal(codeOf(refused[0]!), 'too_many_uploads');
    const other = await startUpload(instanceA, b, { chatId, mimeType: 'text/plain', size: 4 });
    assert.equal(other.status, 201, 'the limit is per user');

    const ticket = started[0]!.body;
    assert.equal((await putFile(ticket, someBytes(4))).status, 200);
    assert.equal((await sendAttachments(instanceA, a, chatId, [ticket.attachmentId])).status, 201);
    const next = await startUpload(instanceB, a, { chatId, mimeType: 'text/plain', size: 4 });
    assert.equal(next.status, 201, 'the sent upload no longer counts');
    const full = await startUpload(instanceB, a, { chatId, mimeType: 'text/plain', size: 4 });
    assert.equal(full.status, 429);
  }
});
