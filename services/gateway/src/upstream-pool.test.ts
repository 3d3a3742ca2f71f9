import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '@messenger/platform';
import { UpstreamPool } from './upstream-pool.js';

const logger = createLogger('gateway-test', 'silent');
const targets = ['http://a', 'http://b', 'http://c'];

function poolWith(ready: Record<string, boolean>, clock = { now: 0 }) {
  return new UpstreamPool(targets, {
    checkIntervalMs: 1000,
    ejectMs: 5000,
    logger,
    isReady: (target) => Promise.resolve(ready[target] ?? false),
    now: () => clock.now,
  });
}

test('picks go round robin over the ready targets only', async () => {
  const pool = poolWith({ 'http://a': true, 'http://b': false, 'http://c': true });
  await pool.checkAll();
  assert.deepEqual(
    Array.from({ length: 4 }, () => pool.pick()),
    ['http://a', 'http://c', 'http://a', 'http://c'],
  );
});

test('an ejected target is left out until its time is up', async () => {
  const clock = { now: 0 };
  const pool = poolWith({ 'http://a': true, 'http://b': true, 'http://c': true }, clock);
  await pool.checkAll();
  pool.eject('http://b');
  const picks = new Set(Array.from({ length: 6 }, () => pool.pick()));
  assert.deepEqual([...picks].sort(), ['http://a', 'http://c']);
  clock.now = 5000;
  assert.ok(Array.from({ length: 3 }, () => pool.pick()).includes('http://b'));
});

test('with no target ready, every target is tried rather than none', async () => {
  const pool = poolWith({});
  await pool.checkAll();
  assert.deepEqual(new Set(Array.from({ length: 3 }, () => pool.pick())), new Set(targets));
});

test('a target unready for two checks in a row, with another ready, is announced once', async () => {
  const ready = { 'http://a': true, 'http://b': true, 'http://c': true };
  const pool = poolWith(ready);
  const announced: string[] = [];
  pool.onUnready((target) => announced.push(target));
  await pool.checkAll();
  ready['http://b'] = false;
  await pool.checkAll();
  assert.deepEqual(announced, [], 'one failed check may be a blip');
  await pool.checkAll();
  await pool.checkAll();
  assert.deepEqual(announced, ['http://b'], 'announced on the second, not again after');
  ready['http://b'] = true;
  await pool.checkAll();
  ready['http://b'] = false;
  await pool.checkAll();
  await pool.checkAll();
  assert.deepEqual(announced, ['http://b', 'http://b'], 'again after it came back and failed');
});

test('with no target ready, none is announced: there is nowhere to move to', async () => {
  const ready = { 'http://a': false, 'http://b': false, 'http://c': false };
  const pool = poolWith(ready);
  const announced: string[] = [];
  pool.onUnready((target) => announced.push(target));
  for (let i = 0; i < 3; i += 1) await pool.checkAll();
  assert.deepEqual(announced, []);
});
