import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  download,
  s3,
  sendAttachments,
  someBytes,
  uploadFile,
} from '@messenger/testkit/messaging/attachments';
import { directChat, history } from '@messenger/testkit/messaging/chats';
import { forgetChats } from '@messenger/testkit/messaging/cleanup';
import { startInstance, type OwnInstance } from '@messenger/testkit/messaging/instance';
import { eventually } from '@messenger/testkit/eventually';
import { befriend } from '@messenger/testkit/social';
import { newUsers, type TestUser } from '@messenger/testkit/users';

/** The instance's shortest settings: uploads are done with 10 s after they start. */
const KEEP_SECONDS = 10;
const WAVES = 3;
const UPLOADS_PER_WAVE = 12;

const admin = new S3Client({
  endpoint: s3.endpoint,
  region: s3.region,
  forcePathStyle: true,
  credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
});
let instance: OwnInstance;

before(async () => {
  instance = await startInstance({
    ATTACHMENT_KEEP_UNSENT_SECONDS: String(KEEP_SECONDS),
    ATTACHMENT_UPLOAD_TTL_SECONDS: String(KEEP_SECONDS),
    ATTACHMENT_SWEEP_SECONDS: '1',
  });
});

after(async () => {
  await instance.stop();
  admin.destroy();
  await forgetChats();
});

async function friendsChat(): Promise<{ a: TestUser; chatId: string }> {
  const [a, b] = await newUsers(2);
  await befriend(a!, b!);
  return { a: a!, chatId: (await directChat(instance.url, a!, b!)).id };
}

async function stored(chatId: string, attachmentId: string): Promise<boolean> {
  try {
    await admin.send(
      new HeadObjectCommand({ Bucket: s3.bucket, Key: `${chatId}/${attachmentId}` }),
    );
    return true;
  } catch (error) {
    if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404)
      return false;
    throw error;
  }
}

const codeOf = (body: unknown) => (body as { code?: unknown }).code;
const file = () => ({ mimeType: 'text/plain', bytes: someBytes(64) });

test('an upload never sent loses its file after the keep time; a sent one keeps it', async () => {
  const { a, chatId } = await friendsChat();
  const unsent = await uploadFile(instance.url, a, chatId, file());
  const kept = await uploadFile(instance.url, a, chatId, file());
  const sent = await sendAttachments(instance.url, a, chatId, [kept]);
  assert.equal(sent.status, 201, JSON.stringify(sent.body));

  await eventually(
    async () => ((await stored(chatId, unsent)) ? undefined : true),
    KEEP_SECONDS * 1000 + 20_000,
    'the unsent upload to lose its file',
  );
  const late = await sendAttachments(instance.url, a, chatId, [unsent]);
  assert.equal(late.status, 404);
  assert.equal(codeOf(late.body), 'attachment_not_found');

  assert.equal(await stored(chatId, kept), true, 'the sent file stays');
  const [message] = (await history(instance.url, a, chatId)).filter((m) => m.id === sent.body.id);
  const fetched = await download(message!.attachments[0]!.url);
  assert.equal(fetched.status, 200);
  const retried = await sendAttachments(instance.url, a, chatId, [kept], {
    clientMsgId: sent.body.clientMsgId,
  });
  assert.equal(retried.status, 200, 'a retry of the send after the sweep still gets its message');
  assert.equal(retried.body.id, sent.body.id);
});

test(`sends racing the sweep: a file is on its message or gone, never both (${WAVES * UPLOADS_PER_WAVE} rounds)`, async (t) => {
  const { a, chatId } = await friendsChat();
  const failures: string[] = [];
  const outcomes = { sent: 0, discarded: 0 };
  for (let wave = 0; wave < WAVES; wave += 1) {
    const uploads = await Promise.all(
      Array.from({ length: UPLOADS_PER_WAVE }, () => uploadFile(instance.url, a, chatId, file())),
    );
    const startedAt = Date.now();
    // Each send at its own moment around the keep time, while the sweep runs every second.
    const answers = await Promise.all(
      uploads.map(async (id, i) => {
        const at = (KEEP_SECONDS - 1) * 1000 + (i * 2500) / UPLOADS_PER_WAVE;
        await sleep(Math.max(0, startedAt + at - Date.now()));
        return { id, answer: await sendAttachments(instance.url, a, chatId, [id]) };
      }),
    );
    await sleep(3000);
    for (const { id, answer } of answers) {
      const there = await stored(chatId, id);
      if (answer.status === 201) {
        outcomes.sent += 1;
        const message = answer.body;
        if (!there || message.attachments[0]?.id !== id)
          failures.push(`${id}: sent (201) but the file is ${there ? 'not on it' : 'gone'}`);
      } else if (answer.status === 404 && codeOf(answer.body) === 'attachment_not_found') {
        outcomes.discarded += 1;
        if (there) failures.push(`${id}: refused (404) but the file stays`);
      } else failures.push(`${id}: ${answer.status} ${JSON.stringify(answer.body)}`);
    }
  }
  t.diagnostic(`sent before the sweep ${outcomes.sent}, discarded first ${outcomes.discarded}`);
  assert.deepEqual(failures, []);
});
