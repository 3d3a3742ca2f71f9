#!/usr/bin/env node
// Runs one kind of test with node's test runner on the TypeScript sources:
//   unit         *.test.ts (no servers)
//   integration  *.int.test.ts (the local stack's real servers)
//   e2e          tests/e2e/*.test.ts (through the gateway)
//   races        tests/races/*.test.ts (store integrity under races, both messaging instances;
//                RACE_ROUNDS rounds per scenario)
//   chart        charts/**/tests/*.test.ts (offline chart checks)
//   observability  observability/tests/*.test.ts (rules with promtool, dashboards against Prometheus)
//   operator     services/operator/**/*.k8s.test.ts (the operator against a real kube-apiserver from
//                scripts/k8s/control-plane.sh, built once into ~/.cache and started here when it is
//                not running, stopped afterwards; and the local stack's Kafka)
//   bench        benchmarks/**/*.test.ts (the benchmark harnesses in their short form; Centrifugo,
//                one of benchmarks/compare's peers, is built once into ~/.cache first)
//   fuzz         tests/fuzz/*.test.ts (schemathesis against the gateway's OpenAPI, FUZZ_EXAMPLES cases
//                per operation; scripts/fuzz/schemathesis.sh installs it into ~/.cache once)
//   chaos        tests/chaos/*.test.ts (the short chaos pass: faults on the stack's own processes)
//   all          every kind above: all but fuzz and chaos in one run, then fuzz, then chaos last
//                (it kills and restarts parts of the stack), each with its own summary
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const kind = process.argv[2];
const root = join(import.meta.dirname, '..');
const skip = new Set(['node_modules', 'dist', '.stack', '.git']);

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (skip.has(entry.name)) return [];
    const path = join(dir, entry.name);
    return entry.isDirectory() ? walk(path) : [relative(root, path)];
  });
}

const matchers = {
  unit: (f) =>
    /^(packages|services)\//.test(f) &&
    f.endsWith('.test.ts') &&
    !f.endsWith('.int.test.ts') &&
    !f.endsWith('.k8s.test.ts'),
  integration: (f) => /^(packages|services)\//.test(f) && f.endsWith('.int.test.ts'),
  e2e: (f) => f.startsWith('tests/e2e/') && f.endsWith('.test.ts'),
  races: (f) => f.startsWith('tests/races/') && f.endsWith('.test.ts'),
  chart: (f) => f.startsWith('charts/') && /\/tests\/.*\.test\.ts$/.test(f),
  observability: (f) => f.startsWith('observability/tests/') && f.endsWith('.test.ts'),
  operator: (f) => f.startsWith('services/operator/') && f.endsWith('.k8s.test.ts'),
  bench: (f) => f.startsWith('benchmarks/') && f.endsWith('.test.ts'),
};
const kinds = Object.values(matchers);
matchers.all = (f) => kinds.some((match) => match(f));
/** Kinds run after everything else, each on its own, in this order. */
const laterKinds = {
  fuzz: (f) => f.startsWith('tests/fuzz/') && f.endsWith('.test.ts'),
  chaos: (f) => f.startsWith('tests/chaos/') && f.endsWith('.test.ts'),
};
const phases = [matchers[kind] ?? laterKinds[kind]];
if (kind === 'all') phases.push(...Object.values(laterKinds));
if (!phases[0]) {
  console.error(
    `usage: scripts/test.mjs ${[...Object.keys(matchers), ...Object.keys(laterKinds)].join('|')}`,
  );
  process.exit(2);
}
const tree = walk(root);
const runs = phases.map((matches) => tree.filter(matches).sort());
if (runs.some((files) => files.length === 0)) {
  console.error(`no ${kind} tests found`);
  process.exit(1);
}
const files = runs.flat();
// A race file at RACE_ROUNDS=200 (make test-races) runs for many minutes; every other file, and a
// race file at the default rounds, within two.
const rounds = Number(process.env['RACE_ROUNDS'] ?? 0);
const timeoutMs = kind === 'races' ? Math.max(120_000, rounds * 20_000) : 120_000;
// The fuzz pass and the short chaos pass run for minutes by design.
const laterTimeoutMs = 600_000;
const concurrency = kind === 'unit' || kind === 'chart' ? 2 : 1;

// The operator's tests need the control plane: start it (building it the first time) unless it
// runs, outside any test's timeout, and stop it afterwards when this run started it.
const env = { ...process.env };
let stopControlPlane = false;
if (files.some(matchers.operator)) {
  const controlPlane = join(root, 'scripts/k8s/control-plane.sh');
  const running = spawnSync(controlPlane, ['status'], { stdio: 'ignore' }).status === 0;
  const exports = execFileSync(controlPlane, [running ? 'env' : 'start'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  for (const [, name, value] of exports.matchAll(/^export (\w+)=(\S+)$/gm)) {
    if (name !== 'PATH') env[name] = value;
  }
  stopControlPlane = !running && process.env.K8S_KEEP_RUNNING !== '1';
}
// benchmarks/compare's peer Centrifugo is built from Go modules (minutes, once), outside any
// test's timeout.
if (files.some(matchers.bench)) {
  execFileSync(join(root, 'scripts/bench/centrifugo.sh'), ['build'], { stdio: 'inherit' });
}
let status = 0;
for (const [index, phaseFiles] of runs.entries()) {
  const later = Object.values(laterKinds).includes(phases[index]);
  const result = spawnSync(
    process.execPath,
    [
      '--conditions=source',
      '--import',
      'tsx',
      '--test',
      `--test-concurrency=${concurrency}`,
      `--test-timeout=${later ? laterTimeoutMs : timeoutMs}`,
      ...phaseFiles,
    ],
    { cwd: root, stdio: 'inherit', env },
  );
  if (result.status !== 0) status = result.status ?? 1;
}
if (stopControlPlane) {
  spawnSync(join(root, 'scripts/k8s/control-plane.sh'), ['stop'], { stdio: 'inherit' });
}
process.exit(status);
