import { test } from 'node:test';
import assert from 'node:assert/strict';
import { messageKey, messageKeyRange } from './message-model.js';

const chat = '5b3f6a0e-8f8e-4a3b-9c1d-2e4f6a8b0c1d';

test('message keys sort by seq within a chat', () => {
  const keys = [1, 2, 9, 10, 11, 100, 2 ** 40].map((seq) => messageKey(chat, seq));
  assert.deepEqual([...keys].sort(), keys);
});

test('a key range holds exactly the seqs strictly between its bounds', () => {
  const range = messageKeyRange(chat, { afterSeq: 3, beforeSeq: 6 });
  const inside = (seq: number) => {
    const key = messageKey(chat, seq);
    return key > range.$gt && key < range.$lt;
  };
  assert.deepEqual([2, 3, 4, 5, 6, 7].map(inside), [false, false, true, true, false, false]);
  const open = messageKeyRange(chat);
  assert.ok(
    messageKey(chat, 1) > open.$gt && messageKey(chat, Number.MAX_SAFE_INTEGER - 1) < open.$lt,
  );
  assert.ok(
    !(
      messageKey(`${chat.slice(0, -1)}e`, 1) < open.$lt &&
      messageKey(`${chat.slice(0, -1)}e`, 1) > open.$gt
    ),
  );
});
