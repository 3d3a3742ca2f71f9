// An idle Kafka client must not keep the process busy: against the stack's broker, a connected
// producer that sends nothing has no timer firing every millisecond (kafkajs 2.2.4 had one per
// connection, see idle-request-queue.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger } from '../logger.js';
import { createKafka } from './client.js';

const brokers = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:59092').split(',');

test('an idle connected producer and admin cost next to no CPU once their requests are answered', async () => {
  const kafka = createKafka('idle-test', brokers, createLogger('idle-test', 'silent'));
  const producer = kafka.producer();
  const admin = kafka.admin();
  await producer.connect();
  await admin.connect();
  try {
    await admin.listTopics();
    await sleep(500);
    const before = process.cpuUsage();
    await sleep(3_000);
    const used = process.cpuUsage(before);
    const cpuMs = (used.user + used.system) / 1000;
    // With the fix about 10 ms; a 1 ms timer loop per connection costs well over 100 ms in 3 s.
    assert.ok(cpuMs < 60, `an idle client used ${cpuMs.toFixed(0)} ms of CPU in 3 s`);
  } finally {
    await admin.disconnect();
    await producer.disconnect();
  }
});
