import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KeyedLane } from './keyed-lane.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

test('tasks of one key run one at a time, in call order', async () => {
  const lane = new KeyedLane();
  const log: string[] = [];
  const task = (name: string) => async () => {
    log.push(`start ${name}`);
    await tick();
    log.push(`end ${name}`);
    return name;
  };
  const results = await Promise.all([lane.run('k', task('a')), lane.run('k', task('b'))]);
  assert.deepEqual(results, ['a', 'b']);
  assert.deepEqual(log, ['start a', 'end a', 'start b', 'end b']);
});

test('different keys run concurrently, and a failure does not block the queue', async () => {
  const lane = new KeyedLane();
  const log: string[] = [];
  const failing = lane.run('x', () => Promise.reject(new Error('boom')));
  const next = lane.run('x', () => Promise.resolve('after'));
  const other = lane.run('y', async () => {
    log.push('y');
    await tick();
    return 'y';
  });
  await assert.rejects(failing, /boom/);
  assert.equal(await next, 'after');
  assert.equal(await other, 'y');
  await tick();
  assert.equal(lane.size, 0, 'idle keys are forgotten');
});
