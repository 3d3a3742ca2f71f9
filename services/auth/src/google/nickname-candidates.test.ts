import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nicknameSchema } from '@messenger/contracts';
import { nicknameCandidates } from './nickname-candidates.js';

test('the first candidate comes from the name, accents dropped, other characters as _', () => {
  assert.equal(nicknameCandidates('Zoë  Müller-Smith', 'z@example.com')[0], 'zoe_muller_smith');
  assert.equal(nicknameCandidates('李小龍', 'bruce.lee@example.com')[0], 'bruce.lee');
  assert.equal(nicknameCandidates('Al', '!!@example.com')[0], 'user');
});

test('every candidate is a valid nickname, then numbered and random fallbacks follow', () => {
  const candidates = nicknameCandidates('A'.repeat(80), 'x@example.com');
  assert.equal(candidates.length, 6);
  for (const candidate of candidates)
    assert.equal(nicknameSchema.safeParse(candidate).success, true, candidate);
  assert.match(candidates[1] ?? '', /^a{27}_\d{4}$/);
  assert.match(candidates[5] ?? '', /^user_[0-9a-f]{16}$/);
});
