import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Ledger } from './ledger.js';

test('the ledger counts a delivery once, a second copy as a duplicate and an overtaken one as out of order', () => {
  const ledger = new Ledger('t');
  const first = ledger.send(0, [1, 2]);
  const second = ledger.send(0, [1, 2]);
  ledger.settle(first, true);
  ledger.settle(second, true);
  ledger.receive(1, second);
  ledger.receive(1, first);
  ledger.receive(1, first);
  ledger.receive(2, first);
  ledger.receive(0, first); // the sender's own copy is no delivery
  assert.equal(ledger.owed(), 1);
  assert.equal(ledger.reached(new Set([1])), true);
  assert.equal(ledger.reached(new Set([2])), false);
  const tally = ledger.tally(1000);
  assert.deepEqual(
    {
      sent: tally.sent,
      acked: tally.acked,
      expected: tally.expected,
      delivered: tally.delivered,
      lost: tally.lost,
      duplicated: tally.duplicated,
      outOfOrder: tally.outOfOrder,
    },
    { sent: 2, acked: 2, expected: 4, delivered: 3, lost: 1, duplicated: 1, outOfOrder: 1 },
  );
});

test('a send the system refused is a failed send, not a loss', () => {
  const ledger = new Ledger('t');
  ledger.settle(ledger.send(0, [1]), false);
  const tally = ledger.tally(1000);
  assert.deepEqual([tally.failed, tally.expected, tally.lost], [1, 0, 0]);
  assert.equal(ledger.owed(), 0);
});
