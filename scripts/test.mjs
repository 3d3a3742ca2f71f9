#!/usr/bin/env node
// Runs one kind of test with node's test runner on the TypeScript sources:
//   unit         *.test.ts (no servers)
//   integration  *.int.test.ts (the local stack's real servers)
//   e2e          tests/e2e/*.test.ts (through the gateway)
//   races        tests/races/*.test.ts (store integrity under races, both messaging instances;
//                RACE_ROUNDS rounds per scenario)
//   chart        charts/**/tests/*.test.ts (offline chart checks)
//   observability  observability/tests/*.test.ts (rules with promtool, dashboards against Prometheus)
//   all          every kind above in one run, so CI reads one summary
import { spawnSync } from 'node:child_process';
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
    /^(packages|services)\//.test(f) && f.endsWith('.test.ts') && !f.endsWith('.int.test.ts'),
  integration: (f) => /^(packages|services)\//.test(f) && f.endsWith('.int.test.ts'),
  e2e: (f) => f.startsWith('tests/e2e/') && f.endsWith('.test.ts'),
  races: (f) => f.startsWith('tests/races/') && f.endsWith('.test.ts'),
  chart: (f) => f.startsWith('charts/') && /\/tests\/.*\.test\.ts$/.test(f),
  observability: (f) => f.startsWith('observability/tests/') && f.endsWith('.test.ts'),
};
const kinds = Object.values(matchers);
matchers.all = (f) => kinds.some((match) => match(f));
const matches = matchers[kind];
if (!matches) {
  console.error(`usage: scripts/test.mjs ${Object.keys(matchers).join('|')}`);
  process.exit(2);
}
const files = walk(root).filter(matches).sort();
if (files.length === 0) {
  console.error(`no ${kind} tests found`);
  process.exit(1);
}
const concurrency = kind === 'unit' || kind === 'chart' ? 2 : 1;
const result = spawnSync(
  process.execPath,
  [
    '--conditions=source',
    '--import',
    'tsx',
    '--test',
    `--test-concurrency=${concurrency}`,
    '--test-timeout=120000',
    ...files,
  ],
  { cwd: root, stdio: 'inherit' },
);
process.exit(result.status ?? 1);
