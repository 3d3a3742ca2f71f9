import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { directChatId } from './direct-chat-id.js';

test('the direct chat id is the same whoever asks, distinct per pair, and a valid UUID', () => {
  const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
  assert.equal(directChatId(a, b), directChatId(b, a));
  assert.notEqual(directChatId(a, b), directChatId(a, c));
  assert.ok(z.uuid().safeParse(directChatId(a, b)).success);
  assert.match(
    directChatId(a, b),
    /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
  );
});
