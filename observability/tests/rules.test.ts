// Prometheus rules: promtool accepts every file the local Prometheus loads (rules/*.yml), the
// promtool unit tests pass, every alert is tested both firing and quiet, and carries the
// severity, annotations and README runbook the on-call needs.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';

const root = join(__dirname, '..');
const rulesDir = join(root, 'prometheus', 'rules');
const testsDir = join(rulesDir, 'tests');
const testFiles = readdirSync(testsDir)
  .filter((name) => name.endsWith('.test.yml'))
  .map((name) => join(testsDir, name));
const ruleFiles = readdirSync(rulesDir)
  .filter((name) => name.endsWith('.yml'))
  .map((name) => join(rulesDir, name));

interface Rule {
  record?: string;
  alert?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface AlertTest {
  alertname: string;
  exp_alerts?: unknown[];
}

const rules: Rule[] = ruleFiles.flatMap((file) =>
  (parse(readFileSync(file, 'utf8')) as { groups: { rules: Rule[] }[] }).groups.flatMap(
    (group) => group.rules,
  ),
);
const alerts = rules.filter((rule) => rule.alert !== undefined);
const alertTests = testFiles.flatMap((file) =>
  (
    parse(readFileSync(file, 'utf8')) as { tests: { alert_rule_test?: AlertTest[] }[] }
  ).tests.flatMap((group) => group.alert_rule_test ?? []),
);

function promtool(...args: string[]): { status: number | null; output: string } {
  const result = spawnSync('promtool', args, { cwd: root, encoding: 'utf8' });
  assert.ifError(result.error); // promtool comes with the Debian package `prometheus`
  return { status: result.status, output: result.stdout + result.stderr };
}

test('the rules folder holds rule files and nothing else Prometheus would reject', () => {
  assert.ok(ruleFiles.length > 0, 'no rules/*.yml');
  const { status, output } = promtool('check', 'rules', ...ruleFiles);
  assert.equal(status, 0, output);
  const found = [...output.matchAll(/SUCCESS: (\d+) rules found/g)].reduce(
    (sum, match) => sum + Number(match[1]),
    0,
  );
  assert.equal(found, rules.length, output);
});

test('promtool unit tests pass, and every rule file has its test file', () => {
  const tested = testFiles.flatMap(
    (file) => (parse(readFileSync(file, 'utf8')) as { rule_files: string[] }).rule_files,
  );
  for (const file of ruleFiles) {
    assert.ok(
      tested.some((ref) => join(testsDir, ref) === file),
      `${file}: no test file names it in rule_files`,
    );
  }
  const { status, output } = promtool('test', 'rules', ...testFiles);
  assert.equal(status, 0, output);
  assert.equal([...output.matchAll(/SUCCESS/g)].length, testFiles.length, output);
});

test('every alert is tested firing and quiet', () => {
  for (const { alert } of alerts) {
    const cases = alertTests.filter((c) => c.alertname === alert);
    assert.ok(
      cases.some((c) => (c.exp_alerts ?? []).length > 0),
      `${alert}: no test where it fires`,
    );
    assert.ok(
      cases.some((c) => (c.exp_alerts ?? []).length === 0),
      `${alert}: no test where it stays quiet`,
    );
  }
  const names = new Set(alerts.map((rule) => rule.alert));
  for (const c of alertTests) assert.ok(names.has(c.alertname), `test of unknown ${c.alertname}`);
});

test('every alert has a severity, a summary, a description and a runbook in the README', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  for (const rule of alerts) {
    const name = rule.alert ?? '';
    assert.match(name, /^Messenger[A-Z]\w+$/);
    assert.ok(['critical', 'warning'].includes(rule.labels?.severity ?? ''), `${name}: severity`);
    for (const key of ['summary', 'description', 'runbook']) {
      assert.ok(rule.annotations?.[key], `${name}: annotation ${key}`);
    }
    assert.ok(
      rule.annotations?.runbook?.includes(`observability/README.md#${name.toLowerCase()}`),
      `${name}: runbook must point at its README section`,
    );
    assert.match(readme, new RegExp(`^### ${name}$`, 'm'), `${name}: README runbook section`);
  }
});

test('recording rules are named level:metric:operation and aggregate to few labels', () => {
  const allowed = new Set(['service', 'le', 'topic', 'result', 'group', 'instance']);
  for (const rule of rules) {
    if (rule.record) assert.match(rule.record, /^[a-z_]+:[a-z0-9_]+:[a-z0-9_]+$/, rule.record);
    for (const [, list] of rule.expr.matchAll(/\bby\s*\(([^)]*)\)/g)) {
      for (const label of (list ?? '').split(',').map((l) => l.trim())) {
        assert.ok(allowed.has(label), `${rule.record ?? rule.alert}: aggregates by ${label}`);
      }
    }
  }
});
