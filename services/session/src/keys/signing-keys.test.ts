import { test } from 'node:test';
import assert from 'node:assert/strict';
import { successorActivation } from './signing-keys.js';

const MINUTE = 60_000;
const lead = { publishLeadMs: 15 * MINUTE };
const HOUR = 60 * MINUTE;

test('a key signs for the rotation period; its successor is published the lead before', () => {
  assert.equal(successorActivation(0, 44 * MINUTE, HOUR, lead), undefined, 'young key kept');
  assert.equal(successorActivation(0, 45 * MINUTE, HOUR, lead), HOUR, 'due within the lead');
});

test('asked late, the successor still waits the whole lead before it signs', () => {
  assert.equal(successorActivation(0, 50 * MINUTE, HOUR, lead), 65 * MINUTE);
  assert.equal(successorActivation(0, 3 * HOUR, HOUR, lead), 3 * HOUR + 15 * MINUTE);
});

test('a newest key that does not sign yet is the successor: nothing more is scheduled', () => {
  assert.equal(successorActivation(10 * MINUTE, 5 * MINUTE, 1, lead), undefined);
});
