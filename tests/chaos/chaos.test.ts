// The short chaos pass of `make test` (scripts/test.mjs chaos): the same run as `make chaos` with
// fewer messages and only the faults others' tests on a shared stack ride out. It asserts every
// integrity figure and a recovery bound that holds on a loaded 2-core machine; issue 13's 10 s and
// the flood's 2x p99 are printed here and asserted by `make chaos`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { short } from './profiles.js';
import { runChaos } from './run.js';
import { describe, issueBounds, verdicts, type Bounds } from './verdicts.js';

const bounds: Bounds = { recoverySeconds: 20, floodP99Factor: undefined };

test('no acknowledged message is lost, duplicated or out of seq through faults and a flood', async () => {
  const report = await runChaos(short, (line) => {
    console.log(`[chaos] ${line}`);
  });
  console.log(describe(report, issueBounds));
  const failed = verdicts(report, bounds).filter((v) => !v.ok);
  assert.deepEqual(failed, []);
});
