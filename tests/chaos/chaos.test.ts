// The short chaos pass of `make test` (scripts/test.mjs chaos): the same run as `make chaos` with
// fewer messages and only the faults others' tests on a shared stack ride out. It asserts every
// integrity figure and a recovery bound that holds on the shared 2-core machine (runs at load 13-17
// took 10 to 36 s after an instance's death); issue 13's 10 s and the flood's 2x p99 are printed
// here and asserted by `make chaos` (docs/operations.md has the figures).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { short } from './profiles.js';
import { runChaos } from './run.js';
import { describe, issueBounds, verdicts, type Bounds } from './verdicts.js';

const bounds: Bounds = { recoverySeconds: 45, floodP99Factor: undefined };

test('no acknowledged message is lost, duplicated or out of seq through faults and a flood', async () => {
  const report = await runChaos(short, (line) => {
    console.log(`[chaos] ${line}`);
  });
  console.log(describe(report, issueBounds));
  const failed = verdicts(report, bounds).filter((v) => !v.ok);
  assert.deepEqual(failed, []);
});
