/**
 * `make chaos`: the full chaos run against the local stack, its figures printed; exits 1 when a
 * verdict fails. `--short` runs the profile of `make test`.
 */
import { full, short } from './profiles.js';
import { runChaos } from './run.js';
import { describe, issueBounds, verdicts } from './verdicts.js';

async function main(): Promise<void> {
  const profile = process.argv.includes('--short') ? short : full;
  const report = await runChaos(profile, (line) => {
    console.log(`[chaos] ${line}`);
  });
  console.log(describe(report, issueBounds));
  console.log(JSON.stringify(report));
  process.exit(verdicts(report, issueBounds).every((v) => v.ok) ? 0 : 1);
}

void main();
