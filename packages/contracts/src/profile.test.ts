import { test } from 'node:test';
import assert from 'node:assert/strict';
import { idSchema } from './ids.js';
import { nicknameSchema } from './profile.js';

test('nicknames are 3–32 of a-z 0-9 _ . and come out lower-cased', () => {
  assert.equal(nicknameSchema.parse('Ada.Lovelace_1'), 'ada.lovelace_1');
  assert.equal(nicknameSchema.parse('abc'), 'abc');
  assert.equal(nicknameSchema.parse('x'.repeat(32)), 'x'.repeat(32));
  for (const bad of [
    'ab',
    'x'.repeat(33),
    'with space',
    'dash-ed',
    'émile',
    '\u212Aate',
    '',
    'a@b',
  ]) {
    assert.equal(nicknameSchema.safeParse(bad).success, false, bad);
  }
});

test('ids are UUIDs, lower-cased', () => {
  const id = '1B4E28BA-2FA1-41D2-883F-0016D3CCA427';
  assert.equal(idSchema.parse(id), id.toLowerCase());
  assert.equal(idSchema.safeParse('1b4e28ba').success, false);
});
