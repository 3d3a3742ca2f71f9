import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { DeleteBucketCommand, HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { createLogger } from '@messenger/platform';
import { s3, someBytes } from '@messenger/testkit/messaging/attachments';
import { ObjectStorage } from './object-storage.js';

const storageOf = (bucket: string, secretAccessKey = s3.secretAccessKey) =>
  new ObjectStorage(
    {
      endpoint: s3.endpoint,
      region: s3.region,
      bucket,
      accessKeyId: s3.accessKeyId,
      secretAccessKey,
      forcePathStyle: true,
    },
    5000,
  );
const storage = storageOf(s3.bucket);
const admin = new S3Client({
  endpoint: s3.endpoint,
  region: s3.region,
  forcePathStyle: true,
  credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
});
const logger = createLogger('messaging-test', 'warn');
after(() => {
  storage.close();
  admin.destroy();
});

async function put(url: string, contentType: string, bytes: Uint8Array): Promise<number> {
  const response = await fetch(url, {
    method: 'PUT',
    headers: { 'content-type': contentType },
    body: bytes,
  });
  await response.arrayBuffer();
  return response.status;
}

test('the bucket is created when missing, and found the second time', async () => {
  const Bucket = `attachments-test-${randomUUID().slice(0, 8)}`;
  const fresh = storageOf(Bucket);
  try {
    await assert.rejects(admin.send(new HeadBucketCommand({ Bucket })), 'missing at first');
    await fresh.ensureBucket(logger);
    await admin.send(new HeadBucketCommand({ Bucket }));
    await fresh.ensureBucket(logger);
    assert.equal(await fresh.stat(randomUUID()), undefined, 'an empty bucket');
  } finally {
    await admin.send(new DeleteBucketCommand({ Bucket })).catch(() => undefined);
    fresh.close();
  }
});

test('S3 itself refuses an upload of another type or size than the URL was signed for', async () => {
  await storage.ensureBucket(logger);
  const key = `chat/${randomUUID()}`;
  const bytes = someBytes(1000);
  const url = await storage.uploadUrl(key, 'image/png', bytes.length, 60);
  assert.equal(await put(url, 'image/jpeg', bytes), 403, 'another type');
  assert.equal(await put(url, 'text/html', bytes), 403, 'a type a browser would run');
  assert.equal(await put(url, 'image/png', someBytes(1001)), 403, 'one byte more');
  assert.equal(await put(url, 'image/png', bytes.subarray(0, 999)), 403, 'one byte less');
  assert.equal(await storage.stat(key), undefined, 'nothing was stored by the refused PUTs');
  assert.equal(await put(url, 'image/png', bytes), 200, 'the declared type and size');
  assert.deepEqual(await storage.stat(key), { size: 1000, contentType: 'image/png' });
  const read = await fetch(await storage.downloadUrl(key, 60));
  assert.equal(read.status, 200);
  assert.equal(read.headers.get('content-type'), 'image/png');
  assert.deepEqual(new Uint8Array(await read.arrayBuffer()), bytes);
});

test('an expired upload or download URL is refused', async () => {
  await storage.ensureBucket(logger);
  const key = `chat/${randomUUID()}`;
  const bytes = someBytes(10);
  const upload = await storage.uploadUrl(key, 'text/plain', bytes.length, 1);
  const early = await storage.uploadUrl(key, 'text/plain', bytes.length, 60);
  assert.equal(await put(early, 'text/plain', bytes), 200);
  const download = await storage.downloadUrl(key, 1);
  await new Promise((resolve) => setTimeout(resolve, 2200));
  assert.equal(await put(upload, 'text/plain', bytes), 403, 'the upload URL expired');
  const late = await fetch(download);
  await late.arrayBuffer();
  assert.equal(late.status, 403, 'the download URL expired');
  const fresh = await fetch(await storage.downloadUrl(key, 60));
  assert.equal(fresh.status, 200, 'a fresh URL reads the object');
  await fresh.arrayBuffer();
});

test('a URL signed with another secret is refused', async () => {
  await storage.ensureBucket(logger);
  const forged = storageOf(s3.bucket, `${s3.secretAccessKey}-guessed`);
  const response = await fetch(await forged.downloadUrl(`chat/${randomUUID()}`, 60));
  await response.arrayBuffer();
  forged.close();
  assert.equal(response.status, 403);
});
