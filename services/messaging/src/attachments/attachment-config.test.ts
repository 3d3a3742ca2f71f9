import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { attachmentConfig } from './attachment-config.js';
import { ObjectStorage } from './object-storage.js';

const schema = z.object(attachmentConfig);

test('attachment settings: defaults, and empty values count as unset', () => {
  const config = schema.parse({ S3_ENDPOINT: '', S3_ACCESS_KEY_ID: '', S3_SECRET_ACCESS_KEY: '' });
  assert.deepEqual(config, {
    S3_ENDPOINT: undefined,
    S3_REGION: 'us-east-1',
    S3_BUCKET: 'messenger-attachments',
    S3_ACCESS_KEY_ID: undefined,
    S3_SECRET_ACCESS_KEY: undefined,
    S3_FORCE_PATH_STYLE: true,
    ATTACHMENT_UPLOAD_TTL_SECONDS: 300,
    ATTACHMENT_URL_TTL_SECONDS: 3600,
    ATTACHMENT_KEEP_UNSENT_SECONDS: 86_400,
    ATTACHMENT_SWEEP_SECONDS: 600,
    ATTACHMENT_PENDING_PER_USER: 20,
  });
  assert.equal(schema.parse({ S3_FORCE_PATH_STYLE: 'false' }).S3_FORCE_PATH_STYLE, false);
});

test('attachment settings refuse what S3 or the limits would not take', () => {
  for (const bad of [
    { S3_ENDPOINT: 'ftp://s3.example.com' },
    { S3_BUCKET: 'Upper_Case' },
    { S3_BUCKET: 'ab' },
    { S3_FORCE_PATH_STYLE: 'yes' },
    { ATTACHMENT_UPLOAD_TTL_SECONDS: '0' },
    { ATTACHMENT_URL_TTL_SECONDS: '700000' },
    { ATTACHMENT_PENDING_PER_USER: 'many' },
    { ATTACHMENT_KEEP_UNSENT_SECONDS: '5' },
    { ATTACHMENT_SWEEP_SECONDS: '0' },
  ])
    assert.equal(schema.safeParse(bad).success, false, JSON.stringify(bad));
});

test('an access key without its secret (or the reverse) stops the service', () => {
  const settings = {
    endpoint: 'http://127.0.0.1:1',
    region: 'us-east-1',
    bucket: 'messenger-attachments',
    forcePathStyle: true,
  };
  assert.throws(
    () => new ObjectStorage({ ...settings, accessKeyId: 'key', secretAccessKey: undefined }, 1000),
    /set both or neither/,
  );
  assert.throws(
    () =>
      new ObjectStorage({ ...settings, accessKeyId: undefined, secretAccessKey: 'secret' }, 1000),
    /set both or neither/,
  );
  new ObjectStorage(
    { ...settings, accessKeyId: undefined, secretAccessKey: undefined },
    1000,
  ).close();
});
