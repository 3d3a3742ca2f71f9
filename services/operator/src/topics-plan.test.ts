import assert from 'node:assert/strict';
import { test } from 'node:test';
import { desiredTopics, planTopics, type ObservedTopic } from './topics-plan.js';

const registry = [
  { name: 'a.v1', partitions: 6, retentionMs: 1000 },
  { name: 'b.v1', partitions: 3, retentionMs: 2000 },
];

function observed(...topics: ObservedTopic[]): Map<string, ObservedTopic> {
  return new Map(topics.map((topic) => [topic.name, topic]));
}

test('the registry topics, overridden and extended by the spec', () => {
  const desired = desiredTopics(
    registry,
    [
      { name: 'b.v1', partitions: 9, retentionMs: 5, config: { 'min.insync.replicas': '2' } },
      { name: 'extra', partitions: 1, replicationFactor: 3 },
    ],
    1,
  );
  assert.deepEqual(desired, [
    {
      name: 'a.v1',
      partitions: 6,
      replicationFactor: 1,
      configs: { 'retention.ms': '1000' },
      delete: false,
    },
    {
      name: 'b.v1',
      partitions: 9,
      replicationFactor: 1,
      configs: { 'retention.ms': '5', 'min.insync.replicas': '2' },
      delete: false,
    },
    { name: 'extra', partitions: 1, replicationFactor: 3, configs: {}, delete: false },
  ]);
});

test('missing topics are created; existing ones as specified need nothing', () => {
  const desired = desiredTopics(registry, [], 1);
  const plan = planTopics(
    desired,
    observed({
      name: 'a.v1',
      partitions: 6,
      replicationFactor: 1,
      dynamicConfigs: { 'retention.ms': '1000' },
    }),
  );
  assert.deepEqual(
    plan.actions.map((a) => a.kind),
    ['create'],
  );
  assert.deepEqual(plan.converged, ['a.v1', 'b.v1']);
  assert.deepEqual(plan.problems, []);
});

test('partitions only grow: more are added, fewer is a problem and nothing is removed', () => {
  const desired = desiredTopics(
    [],
    [
      { name: 'x', partitions: 8 },
      { name: 'y', partitions: 2 },
    ],
    1,
  );
  const plan = planTopics(
    desired,
    observed(
      { name: 'x', partitions: 4, replicationFactor: 1, dynamicConfigs: {} },
      { name: 'y', partitions: 4, replicationFactor: 1, dynamicConfigs: {} },
    ),
  );
  assert.deepEqual(plan.actions, [{ kind: 'addPartitions', name: 'x', from: 4, to: 8 }]);
  assert.equal(plan.problems[0]?.reason, 'PartitionsCannotShrink');
  assert.deepEqual(plan.converged, ['x']);
});

test('config drift is set back, keeping the other settings of the topic', () => {
  const desired = desiredTopics([], [{ name: 'x', partitions: 1, retentionMs: 60000 }], 1);
  const plan = planTopics(
    desired,
    observed({
      name: 'x',
      partitions: 1,
      replicationFactor: 1,
      dynamicConfigs: { 'retention.ms': '1', 'cleanup.policy': 'compact' },
    }),
  );
  assert.deepEqual(plan.actions, [
    {
      kind: 'alterConfigs',
      name: 'x',
      configs: { 'retention.ms': '60000', 'cleanup.policy': 'compact' },
      changed: ['retention.ms'],
    },
  ]);
});

test('a topic is deleted only when its entry says delete; unknown topics are left alone', () => {
  const desired = desiredTopics([], [{ name: 'gone', partitions: 1, delete: true }], 1);
  const plan = planTopics(
    desired,
    observed(
      { name: 'gone', partitions: 1, replicationFactor: 1, dynamicConfigs: {} },
      { name: 'someone-elses', partitions: 1, replicationFactor: 1, dynamicConfigs: {} },
    ),
  );
  assert.deepEqual(plan.actions, [{ kind: 'delete', name: 'gone' }]);
  assert.deepEqual(planTopics(desired, observed()).actions, []);
});

test('a replication factor change is reported, not attempted', () => {
  const desired = desiredTopics([], [{ name: 'x', partitions: 1, replicationFactor: 3 }], 1);
  const plan = planTopics(
    desired,
    observed({ name: 'x', partitions: 1, replicationFactor: 1, dynamicConfigs: {} }),
  );
  assert.deepEqual(plan.actions, []);
  assert.equal(plan.problems[0]?.reason, 'ReplicationFactorChange');
  assert.deepEqual(plan.converged, []);
});
