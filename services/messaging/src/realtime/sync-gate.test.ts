import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { RetryLater } from './acks.js';
import { SyncGate } from './sync-gate.js';

/** A sync that runs until `finish` is called, and says whether it started. */
function pendingSync() {
  let started = false;
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  return {
    run: async () => {
      started = true;
      await done;
      return 'synced';
    },
    finish: () => {
      finish();
    },
    started: () => started,
  };
}

test('a few syncs run at once; the next wait their turn in order; one more is refused at once', async () => {
  const gate = new SyncGate({ running: 2, waiting: 2, maxWaitMs: 10_000 });
  const syncs = Array.from({ length: 4 }, pendingSync);
  const results = syncs.map((sync) => gate.run(sync.run));
  await sleep(10);
  assert.deepEqual(
    syncs.map((sync) => sync.started()),
    [true, true, false, false],
  );
  const refused = await gate.run(() => Promise.resolve('never')).catch((error: unknown) => error);
  assert.ok(refused instanceof RetryLater);
  assert.ok(
    refused.retryAfterMs >= 250 && refused.retryAfterMs <= 15_000,
    `${refused.retryAfterMs}`,
  );

  syncs[1]?.finish();
  await sleep(10);
  assert.deepEqual(
    syncs.map((sync) => sync.started()),
    [true, true, true, false],
    'the first waiting one took the freed turn',
  );
  for (const sync of syncs) sync.finish();
  assert.deepEqual(await Promise.all(results), ['synced', 'synced', 'synced', 'synced']);
});

test('a sync that gets no turn within the wait is refused without running', async () => {
  const gate = new SyncGate({ running: 1, waiting: 10, maxWaitMs: 50 });
  const busy = pendingSync();
  const first = gate.run(busy.run);
  const late = pendingSync();
  const refused = await gate.run(late.run).catch((error: unknown) => error);
  assert.ok(refused instanceof RetryLater);
  assert.equal(late.started(), false);
  busy.finish();
  assert.equal(await first, 'synced');
  assert.equal(await gate.run(() => Promise.resolve('free again')), 'free again');
});

test('a failed sync frees its turn', async () => {
  const gate = new SyncGate({ running: 1, waiting: 0, maxWaitMs: 50 });
  await assert.rejects(
    gate.run(() => Promise.reject(new Error('store down'))),
    /store down/,
  );
  assert.equal(await gate.run(() => Promise.resolve('next')), 'next');
});
