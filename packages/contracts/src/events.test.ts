import { test } from 'node:test';
import assert from 'node:assert/strict';
import { envelopeSchema, eventTopics } from './events.js';
import { allTopics } from './topics.js';

test('every event type maps to a declared topic', () => {
  const names = new Set(allTopics.map((t) => t.name));
  for (const [type, topic] of Object.entries(eventTopics)) {
    assert.ok(names.has(topic.name), `${type} -> ${topic.name} is not declared`);
  }
});

test('topic names are unique', () => {
  const names = allTopics.map((t) => t.name);
  assert.equal(new Set(names).size, names.length);
});

test('the envelope schema rejects an event without an id', () => {
  const result = envelopeSchema.safeParse({
    type: 'user.created',
    version: 1,
    occurredAt: new Date().toISOString(),
    producer: 'auth',
    traceparent: null,
    data: {},
  });
  assert.equal(result.success, false);
});
