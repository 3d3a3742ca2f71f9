import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  profilePatchSchema,
  profileSearchQuerySchema as searchQuerySchema,
} from './profile-api.js';

const valid = (value: unknown) => profilePatchSchema.safeParse(value).success;

test('a patch takes any subset of the editable fields, null clearing the optional ones', () => {
  assert.deepEqual(profilePatchSchema.parse({}), {});
  assert.deepEqual(profilePatchSchema.parse({ displayName: ' Ada ', nickname: 'Ada_L' }), {
    displayName: 'Ada',
    nickname: 'ada_l',
  });
  assert.deepEqual(profilePatchSchema.parse({ bio: null, avatarUrl: null, displayName: null }), {
    bio: null,
    avatarUrl: null,
    displayName: null,
  });
  assert.equal(valid({ nickname: null }), false, 'the nickname cannot be cleared');
});

test('text limits count characters, not UTF-16 units', () => {
  assert.equal(valid({ bio: '😀'.repeat(500) }), true);
  assert.equal(valid({ bio: '😀'.repeat(501) }), false);
  assert.equal(valid({ displayName: '日'.repeat(64) }), true);
  assert.equal(valid({ displayName: '日'.repeat(65) }), false);
});

test('display names refuse control characters and noncharacters; bios allow line breaks', () => {
  assert.equal(valid({ displayName: 'a\nb' }), false);
  assert.equal(valid({ displayName: 'a\u{10FFFF}' }), false);
  assert.equal(valid({ displayName: 'a\uFFFE' }), false);
  assert.equal(valid({ bio: 'line one\nline two\tend' }), true);
  assert.equal(valid({ bio: 'nul\u0000' }), false);
});

test('avatar URLs must be https', () => {
  assert.equal(valid({ avatarUrl: 'https://cdn.example.com/a.png' }), true);
  for (const url of [
    'http://example.com/a.png',
    'javascript:alert(1)',
    'https://',
    'ftp://x/y',
    'a',
  ]) {
    assert.equal(valid({ avatarUrl: url }), false, url);
  }
});

test('unknown fields are refused', () => {
  assert.equal(valid({ email: 'a@example.com' }), false);
  assert.equal(valid({ userId: '1b4e28ba-2fa1-41d2-883f-0016d3cca427' }), false);
});

test('search terms are 1–64 printable characters', () => {
  assert.equal(searchQuerySchema.safeParse({ search: 'ada' }).success, true);
  assert.equal(searchQuerySchema.safeParse({ search: '' }).success, false);
  assert.equal(searchQuerySchema.safeParse({ search: 'a'.repeat(65) }).success, false);
  assert.equal(searchQuerySchema.safeParse({ search: 'a\u0000' }).success, false);
  assert.equal(searchQuerySchema.safeParse({}).success, false);
});
