import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findLogEnd, positionKey } from './log-position.js';

function logOf(length: number) {
  const lookups: number[] = [];
  const lookup = (position: number) => {
    lookups.push(position);
    return Promise.resolve(position >= 1 && position <= length ? { position } : null);
  };
  return { lookup, lookups };
}

test('the end of a log is found from any stored position below it', async () => {
  for (const length of [0, 1, 2, 3, 7, 8, 9, 100, 1023, 1024, 1025]) {
    for (const known of [0, Math.floor(length / 2), length]) {
      const { lookup } = logOf(length);
      const end = await findLogEnd(lookup, known);
      assert.equal(end.position, length, `length ${length} from ${known}`);
      if (end.record) assert.deepEqual(end.record, { position: length });
    }
  }
});

test('an end one past the hint costs two lookups, a far one a logarithmic number', async () => {
  const near = logOf(501);
  await findLogEnd(near.lookup, 500);
  assert.deepEqual(near.lookups, [501, 502]);
  const far = logOf(1_000_000);
  await findLogEnd(far.lookup, 0);
  assert.ok(far.lookups.length <= 2 * 21, `${far.lookups.length} lookups`);
});

test('position keys sort by position within a log, and logs apart', () => {
  const keys = [1, 2, 9, 10, 11, 100, 2 ** 40].map((p) => positionKey('chat', p));
  assert.deepEqual([...keys].sort(), keys);
  assert.ok(positionKey('chat', 2 ** 40) < positionKey('chatx', 1));
});
