import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonDepth, MAX_JSON_DEPTH } from './json-depth.js';

const depthOf = (text: string) => jsonDepth(Buffer.from(text));

test('nesting is counted over objects and arrays, not inside strings', () => {
  assert.equal(depthOf('{}'), 1);
  assert.equal(depthOf('{"a":[1,{"b":[]}]}'), 4);
  assert.equal(depthOf('{"a":"[[[[{{{{"}'), 1);
  assert.equal(depthOf('{"a":"\\"[[["}'), 1);
  assert.equal(depthOf('"text"'), 0);
});

test('a very deep body is cut short just past the limit', () => {
  const deep = '['.repeat(100_000) + ']'.repeat(100_000);
  assert.equal(depthOf(deep), MAX_JSON_DEPTH + 1);
});
