/**
 * `make chaos`: the full chaos run against the local stack, its figures printed; exits 1 when a
 * verdict fails. `--short` runs the profile of `make test`; `--faults=<name>,<name>` only those
 * faults (a fix under study), e.g. --faults='kafka stopped 20 s'.
 */
import { faults, type FaultName } from './faults.js';
import { full, short } from './profiles.js';
import { runChaos } from './run.js';
import { describe, issueBounds, verdicts } from './verdicts.js';

function isFault(name: string): name is FaultName {
  return name in faults;
}

async function main(): Promise<void> {
  const base = process.argv.includes('--short') ? short : full;
  const only = process.argv.find((arg) => arg.startsWith('--faults='))?.slice('--faults='.length);
  const names = only?.split(',') ?? base.faults;
  const unknown = names.filter((name) => !isFault(name));
  if (unknown.length > 0) throw new Error(`no such faults: ${unknown.join(', ')}`);
  const report = await runChaos({ ...base, faults: names.filter(isFault) }, (line) => {
    console.log(`[chaos] ${line}`);
  });
  console.log(describe(report, issueBounds));
  console.log(JSON.stringify(report));
  process.exit(verdicts(report, issueBounds).every((v) => v.ok) ? 0 : 1);
}

void main();
