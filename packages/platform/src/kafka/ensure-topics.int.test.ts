import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { uniqueName } from '@messenger/testkit/stack';
import { kafka } from '@messenger/testkit/kafka';
import { ensureTopics } from './client.js';

const topic = { name: uniqueName('ensure-topics'), partitions: 2, retentionMs: 3_600_000 };
const admin = kafka.admin();

after(async () => {
  if ((await admin.listTopics()).includes(topic.name))
    await admin.deleteTopics({ topics: [topic.name] });
  await admin.disconnect();
});

test('KAFKA_CREATE_TOPICS=false: a missing topic stops start-up naming it, and is not created', async () => {
  await admin.connect();
  await assert.rejects(ensureTopics(kafka, [topic], 1, false), (error: Error) =>
    error.message.includes(topic.name),
  );
  assert.ok(!(await admin.listTopics()).includes(topic.name));
});

test('created when missing (the default), then accepted as it is with creation off', async () => {
  await ensureTopics(kafka, [topic]);
  const metadata = await admin.fetchTopicMetadata({ topics: [topic.name] });
  assert.equal(metadata.topics[0]?.partitions.length, 2);
  await ensureTopics(kafka, [topic], 1, false);
});
