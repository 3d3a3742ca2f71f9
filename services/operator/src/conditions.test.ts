import assert from 'node:assert/strict';
import { test } from 'node:test';
import { summarize, type Observation } from './conditions.js';

const healthy: Observation = { generation: 3, topicFailures: [], workloads: [], otherFailures: [] };
const t0 = new Date('2030-01-01T00:00:00Z');
const t1 = new Date('2030-01-01T00:01:00Z');

test('all well: Ready, not Progressing, not Degraded, observed generation set', () => {
  const summary = summarize(healthy, undefined, t0);
  assert.equal(summary.phase, 'Ready');
  assert.deepEqual(
    summary.conditions.map((c) => [c.type, c.status, c.observedGeneration]),
    [
      ['Ready', 'True', 3],
      ['Degraded', 'False', 3],
      ['Progressing', 'False', 3],
    ],
  );
  assert.equal(summary.transitions.length, 3);
});

test('Kafka unreachable and a failed topic make it Degraded, naming both', () => {
  const summary = summarize(
    {
      ...healthy,
      kafkaError: { reason: 'KafkaUnreachable', message: 'connection refused' },
      topicFailures: [
        {
          name: 't',
          reason: 'TopicNotReconciled',
          message: 'could not create topic t: INVALID_REPLICATION_FACTOR',
        },
      ],
    },
    undefined,
    t0,
  );
  assert.equal(summary.phase, 'Degraded');
  const degraded = summary.conditions.find((c) => c.type === 'Degraded');
  assert.equal(degraded?.reason, 'KafkaUnreachable');
  assert.match(degraded.message, /connection refused.*INVALID_REPLICATION_FACTOR/);
  assert.equal(summary.conditions.find((c) => c.type === 'Ready')?.status, 'False');
});

test('workloads short of replicas are Progressing, a FailedCreate is Degraded', () => {
  const summary = summarize(
    {
      ...healthy,
      workloads: [
        { kind: 'Deployment', name: 'm-messaging', component: 'messaging', desired: 2, ready: 0 },
        { kind: 'StatefulSet', name: 'm-kafka', component: 'kafka', desired: 3, ready: 3 },
      ],
    },
    undefined,
    t0,
  );
  assert.equal(summary.phase, 'Progressing');
  assert.match(
    summary.conditions.find((c) => c.type === 'Progressing')?.message ?? '',
    /Deployment m-messaging not available \(0\/2 ready\)/,
  );
  const failed = summarize(
    {
      ...healthy,
      workloads: [
        {
          kind: 'StatefulSet',
          name: 'm-redis',
          component: 'redis',
          desired: 1,
          ready: 0,
          failure: 'pods "m-redis-0" is forbidden',
        },
      ],
    },
    undefined,
    t0,
  );
  assert.equal(
    failed.conditions.find((c) => c.type === 'Degraded')?.reason,
    'WorkloadReplicaFailure',
  );
});

test('lastTransitionTime moves only when a status changes; transitions list the changes', () => {
  const first = summarize(healthy, undefined, t0);
  const again = summarize(healthy, first.conditions, t1);
  assert.deepEqual(again.conditions, first.conditions);
  assert.deepEqual(again.transitions, []);
  const broken = summarize(
    { ...healthy, kafkaError: { reason: 'KafkaUnreachable', message: 'down' } },
    first.conditions,
    t1,
  );
  assert.deepEqual(
    broken.transitions.map((c) => `${c.type}=${c.status}`),
    ['Ready=False', 'Degraded=True'],
  );
  assert.equal(
    broken.conditions.find((c) => c.type === 'Progressing')?.lastTransitionTime,
    '2030-01-01T00:00:00Z',
  );
});
