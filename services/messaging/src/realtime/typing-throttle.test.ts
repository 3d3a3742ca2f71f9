import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TYPING_REPEAT_MS, TypingThrottle } from './typing-throttle.js';

test('changes of state always pass; a repeated "typing" passes once per interval', () => {
  const throttle = new TypingThrottle();
  const chat = 'c1';
  assert.equal(throttle.shouldForward(chat, true, 0), true);
  assert.equal(throttle.shouldForward(chat, true, 100), false);
  assert.equal(throttle.shouldForward(chat, true, TYPING_REPEAT_MS - 1), false);
  assert.equal(throttle.shouldForward(chat, true, TYPING_REPEAT_MS), true);
  assert.equal(throttle.shouldForward(chat, false, TYPING_REPEAT_MS + 1), true);
  assert.equal(throttle.shouldForward(chat, false, TYPING_REPEAT_MS + 2), false);
  assert.equal(throttle.shouldForward(chat, true, TYPING_REPEAT_MS + 3), true);
  assert.equal(throttle.shouldForward('c2', true, TYPING_REPEAT_MS + 3), true, 'per chat');
});
