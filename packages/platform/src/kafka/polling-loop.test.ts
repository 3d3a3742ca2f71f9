import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger } from '../logger.js';
import { PollingLoop } from './polling-loop.js';

const logger = createLogger('polling-loop-test', 'silent');

test('a wake during a step runs the step again right after it, not at the next interval', async () => {
  const started: number[] = [];
  const loop = new PollingLoop({
    name: 'test',
    intervalMs: 60_000,
    logger,
    step: async () => {
      started.push(Date.now());
      await sleep(50);
      return false;
    },
  });
  loop.start();
  await sleep(20);
  assert.equal(started.length, 1, 'the first step runs at start');
  loop.wake();
  loop.wake();
  await sleep(200);
  await loop.stop();
  assert.equal(
    started.length,
    2,
    'one more step for the wakes during the first, then the interval',
  );
});

test('without a wake the loop waits for its interval after a step that found nothing', async () => {
  let steps = 0;
  const loop = new PollingLoop({
    name: 'test',
    intervalMs: 60_000,
    logger,
    step: () => {
      steps += 1;
      return Promise.resolve(false);
    },
  });
  loop.start();
  await sleep(150);
  assert.equal(steps, 1);
  loop.wake();
  await sleep(50);
  await loop.stop();
  assert.equal(steps, 2, 'a wake between steps runs one at once');
});
