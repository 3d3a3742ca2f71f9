import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decideScale, type ScalingInput } from './scaling.js';

const base: ScalingInput = {
  now: 1_000_000,
  currentReplicas: 2,
  pods: [],
  targetSocketsPerPod: 100,
  minReplicas: 1,
  maxReplicas: 10,
  stabilizationMs: 60_000,
  history: [],
};

const pods = (...sockets: (number | undefined)[]) =>
  sockets.map((count, index) => ({ name: `pod-${index}`, sockets: count }));

test('scales up at once to ceil(sockets / target), within max', () => {
  const up = decideScale({ ...base, pods: pods(250, 240) });
  assert.equal(up.desiredReplicas, 5);
  assert.equal(up.reason, 'ScaleUp');
  assert.equal(up.deletionCosts, undefined);
  assert.equal(decideScale({ ...base, pods: pods(5000, 5000) }).desiredReplicas, 10);
});

test('scale-down waits for the highest recommendation of the window', () => {
  const history = [{ at: base.now - 30_000, replicas: 4 }];
  const held = decideScale({ ...base, currentReplicas: 4, pods: pods(50, 10, 0, 0), history });
  assert.equal(held.desiredReplicas, 4);
  assert.equal(held.reason, 'Stabilizing');
  const later = decideScale({
    ...base,
    now: base.now + 31_000,
    currentReplicas: 4,
    pods: pods(50, 10, 0, 0),
    history: held.history,
  });
  assert.equal(later.desiredReplicas, 1);
  assert.equal(later.reason, 'ScaleDown');
});

test('before a scale-in every pod gets its socket count as deletion cost', () => {
  const decision = decideScale({
    ...base,
    currentReplicas: 3,
    pods: pods(70, 0, 20),
    stabilizationMs: 0,
  });
  assert.equal(decision.desiredReplicas, 1);
  assert.deepEqual(
    [...(decision.deletionCosts ?? [])],
    [
      ['pod-0', 70],
      ['pod-1', 0],
      ['pod-2', 20],
    ],
  );
});

test('never below min; holds without metrics; only up with some missing', () => {
  assert.equal(
    decideScale({ ...base, minReplicas: 2, pods: pods(0, 0), stabilizationMs: 0 }).desiredReplicas,
    2,
  );
  const none = decideScale({
    ...base,
    currentReplicas: 3,
    pods: pods(undefined, undefined, undefined),
  });
  assert.equal(none.desiredReplicas, 3);
  assert.equal(none.reason, 'NoMetrics');
  const partial = decideScale({
    ...base,
    currentReplicas: 3,
    pods: pods(0, undefined, 0),
    stabilizationMs: 0,
  });
  assert.equal(partial.desiredReplicas, 3);
  assert.equal(partial.reason, 'MetricsIncomplete');
  const partialUp = decideScale({ ...base, currentReplicas: 2, pods: pods(900, undefined) });
  assert.equal(partialUp.desiredReplicas, 9);
});
