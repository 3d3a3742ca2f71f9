/**
 * The benchmark harness in its short form against the three real systems (the stack's platform,
 * the relay and Centrifugo it starts): that it accounts for every message and prints its table
 * and goal lines. No figure is asserted: timings belong to `make bench`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runBench } from './bench.js';
import { parseOptions } from './options.js';
import { goals, table } from './report.js';

const STORM_DEVICES = 20;
const options = parseOptions([
  '--pairs=4',
  '--rates=10',
  '--seconds=1',
  '--ramp-start=10',
  '--ramp-factor=2',
  '--ramp-max=20',
  '--ramp-seconds=1',
  '--group-members=5',
  '--group-rate=5',
  '--idle=20',
  `--storm-devices=${STORM_DEVICES}`,
  '--storm-deadline-seconds=10',
  '--quiet-seconds=1',
  '--settle-seconds=0',
  '--drain-seconds=20',
  '--concurrency=10',
]);

// About 80 s at load 8; the limit leaves room for a busier machine than scripts/test.mjs's 2 minutes.
const TIMEOUT_MS = 240_000;

test(
  'a short run drives all three systems, accounts for every message and prints table and goals',
  { timeout: TIMEOUT_MS },
  async () => {
    const results = await runBench(options, () => undefined);
    assert.deepEqual([...results.keys()].sort(), ['centrifugo', 'platform', 'relay']);
    for (const [name, result] of results) {
      assert.deepEqual(result.errors, [], `${name}: workloads that failed`);
      const runs = [...result.rates.values(), ...result.ramp, result.group];
      assert.equal(runs.length, 4, `${name}: a fixed rate, two ramp steps and the group ran`);
      for (const run of runs) {
        const tally = run?.tally;
        assert.ok(tally && tally.sent > 0, `${name}: messages were sent`);
        assert.equal(tally.acked, tally.sent, `${name} at ${run.rate} msg/s: every send acked`);
        assert.equal(tally.delivered, tally.expected, `${name} at ${run.rate} msg/s: all received`);
        assert.deepEqual([tally.lost, tally.duplicated, tally.outOfOrder], [0, 0, 0], name);
      }
      const idle = result.idle.get(20);
      assert.equal(idle?.connected, 20, `${name}: every idle socket connected`);
      const storm = result.storm?.tally;
      assert.ok(storm && storm.expected > 0, `${name}: the storm ran`);
      assert.equal(storm.acked, storm.sent, `${name}: every storm send acked`);
      // Each dropped device misses one message while away and gets one live after it is back;
      // the relay keeps no history, so exactly the missed ones are lost.
      const missed = name === 'relay' ? STORM_DEVICES : 0;
      assert.equal(storm.lost, missed, `${name}: storm losses`);
      assert.equal(Number.isFinite(result.storm?.syncedSeconds), name !== 'relay', name);
    }
    const rows = table(options, results);
    assert.match(rows[0] ?? '', /^\| +\| platform \| relay \| centrifugo \|$/);
    assert.ok(rows.length > 10, 'a row per figure');
    const goalLines = goals(options, results);
    assert.equal(goalLines.length, 10);
    for (const line of goalLines) assert.match(line, /^goal .+: platform .+ {2}(MET|MISSED)$/);
  },
);
