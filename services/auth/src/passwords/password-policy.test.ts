import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCommonPasswords } from './common-passwords.js';
import { newPasswordIssues, normalizePassword } from './password-policy.js';

const common = loadCommonPasswords();
const context = { email: 'ada@example.com', nickname: 'ada.l' };

test('the shipped list holds the 10,000 most common passwords of 8+ characters', () => {
  assert.equal(common.size, 10_000);
  for (const password of ['password', '12345678', 'iloveyou', 'qwertyuiop'])
    assert.ok(common.has(password));
  assert.ok(!common.has('123456'), 'too short to matter: the length rule refuses it');
});

test('a new password needs 8–128 code points and must not be common or the account itself', () => {
  assert.equal(newPasswordIssues('plum orbit velvet', common, context), undefined);
  assert.match(newPasswordIssues('short', common, context) ?? '', /at least 8/);
  assert.match(newPasswordIssues('x'.repeat(129), common, context) ?? '', /at most 128/);
  assert.match(newPasswordIssues('PassWord1', common, context) ?? '', /too common/);
  assert.match(newPasswordIssues('ADA@example.com', common, context) ?? '', /email or nickname/);
  assert.match(newPasswordIssues('ada.l', common, context) ?? '', /at least 8/);
  assert.equal(newPasswordIssues('🔑'.repeat(8), common, context), undefined);
});

test('passwords are NFKC-normalised so equivalent input hashes the same', () => {
  assert.equal(normalizePassword('ﬁne café'), normalizePassword('fine cafe\u0301'));
});
