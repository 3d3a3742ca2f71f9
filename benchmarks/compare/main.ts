/**
 * The platform side by side with a bare Socket.IO relay and Centrifugo (issue 17): one harness
 * drives all three identically, interleaved, and prints a line per run, the table and, last, one
 * line per goal. `make bench` runs it in full; benchmarks/README.md has the workloads and a run.
 *
 *   node --conditions=source --import tsx benchmarks/compare/main.ts [--name=value ...]
 *
 * Needs the local stack (`make up`) for the platform; starts the peers itself.
 */
import { cpus, loadavg } from 'node:os';
import { runBench } from './bench.js';
import { parseOptions, usage } from './options.js';
import { killServers } from './processes.js';
import { goals, table } from './report.js';

// Interrupted, the harness takes the peers' servers with it instead of leaving them running.
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    killServers();
    process.exit(130);
  });

async function main(): Promise<void> {
  if (process.argv.includes('--help')) {
    console.log(usage);
    return;
  }
  const options = parseOptions(process.argv.slice(2));
  console.log(
    `bench: ${options.systems.join(', ')} on ${cpus().length} CPUs, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} at ${new Date().toISOString()}`,
  );
  const results = await runBench(options, (line) => {
    console.log(line);
  });
  console.log('');
  for (const line of table(options, results)) console.log(line);
  console.log('');
  for (const line of goals(options, results)) console.log(line);
  const failed = [...results.values()].some((r) => r.errors.length > 0);
  if (failed) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
