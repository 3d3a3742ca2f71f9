import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sendRequestBodySchema as sendRequestSchema } from '@messenger/contracts';
import { pairOf } from './pair.js';
import { beforeSeqOf, toPage } from './seq-page.js';

const id = '1b4e28ba-2fa1-41d2-883f-0016d3cca427';

test('a friend request names its target by nickname or by id, not both', () => {
  assert.deepEqual(sendRequestSchema.parse({ nickname: 'Bob.B' }), { nickname: 'bob.b' });
  assert.deepEqual(sendRequestSchema.parse({ userId: id.toUpperCase() }), { userId: id });
  for (const body of [{}, { nickname: 'bob_b', userId: id }, { userId: 'x' }, { nickname: 'b' }]) {
    assert.equal(sendRequestSchema.safeParse(body).success, false, JSON.stringify(body));
  }
});

test('a pair is the same whichever user comes first', () => {
  const other = '0a4e28ba-2fa1-41d2-883f-0016d3cca427';
  assert.deepEqual(pairOf(id, other), pairOf(other, id));
  assert.equal(pairOf(id, other).low, other);
  assert.equal(pairOf(id, other).key, `${other}:${id}`);
});

test('pages carry a cursor only when more rows exist, and the cursor round-trips', () => {
  const rows = ['9', '7', '4'].map((seq) => ({ seq, item: `row ${seq}` }));
  const full = toPage(rows, 2);
  assert.deepEqual(full.items, ['row 9', 'row 7']);
  assert.equal(beforeSeqOf(full.nextCursor ?? undefined), '7');
  assert.deepEqual(toPage(rows, 3), { items: ['row 9', 'row 7', 'row 4'], nextCursor: null });
  assert.equal(beforeSeqOf(undefined), undefined);
  assert.throws(() => beforeSeqOf('garbage'));
});
