// A service's port is written once, in packages/contracts/src/services.json: everything else reads
// the list, or is generated from it (and the generated-files test keeps those copies current).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { localUrls, serviceNames, services } from '@messenger/contracts/services';
import { root } from './lib/render.ts';

/** Files generated from the list (scripts/helm/generate.mjs), and files of hashes. */
const GENERATED = new Set([
  'packages/contracts/src/services.json',
  'charts/messenger/files/services.json',
  'skaffold.yaml',
  'observability/prometheus/prometheus.local.yml',
  'k8s/rendered/messenger.yaml',
  'package-lock.json',
]);
const HASHES = /(^|\/)go\.(sum|mod)$/;
/** The generated table of docs/conventions.md, between its markers. */
const GENERATED_BLOCK = /<!-- services-table:start[\s\S]*?<!-- services-table:end -->/g;

/** Where a port may still be written, and why: files the list cannot reach. */
const ALLOWED: Record<string, string> = {
  'README.md': "the quick start's addresses, for people to click",
  'observability/prometheus/rules/tests/messenger.rules.test.yml':
    'promtool fixtures: made-up `instance` label values of pods, not addresses to reach',
};

function trackedTextFiles(): string[] {
  return execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' })
    .split('\0')
    .filter((path) => path && !GENERATED.has(path) && !HASHES.test(path));
}

/** Each service's port and the ports of its local instances. */
const ports = new Set(
  serviceNames.flatMap((name) => [
    String(services[name].port),
    ...localUrls(name).map((url) => new URL(url).port),
  ]),
);
const portPattern = new RegExp(`(?<![\\w.-])(${[...ports].join('|')})(?![\\w-])`);

test('no service port is written outside the services list', () => {
  const offenders: string[] = [];
  for (const path of trackedTextFiles()) {
    if (path in ALLOWED) continue;
    let text: string;
    try {
      text = readFileSync(join(root, path), 'utf8');
    } catch {
      continue; // deleted in the working tree
    }
    if (text.includes('\0')) continue;
    text
      .replace(GENERATED_BLOCK, '')
      .split('\n')
      .forEach((line, index) => {
        if (portPattern.test(line)) offenders.push(`${path}:${index + 1}: ${line.trim()}`);
      });
  }
  assert.deepEqual(offenders, [], 'read the port from packages/contracts/src/services.json');
});

test('every allowed exception still writes a port (stale entries go)', () => {
  for (const path of Object.keys(ALLOWED)) {
    assert.match(readFileSync(join(root, path), 'utf8'), portPattern, path);
  }
});
