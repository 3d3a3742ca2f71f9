// The Alertmanager route tree: amtool accepts the configuration, every alert of rules/*.yml
// reaches the receiver its severity asks for (critical pages, warning opens a ticket), and a
// fast SLO burn inhibits the slow alert of the same SLO.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';

const root = join(__dirname, '..');
const config = join(root, 'alertmanager', 'alertmanager.local.yml');
const rulesDir = join(root, 'prometheus', 'rules');
const RECEIVER_OF_SEVERITY: Record<string, string> = { critical: 'page', warning: 'ticket' };

interface Rule {
  alert?: string;
  labels?: Record<string, string>;
}
const alerts = readdirSync(rulesDir)
  .filter((name) => name.endsWith('.yml'))
  .flatMap((name) =>
    (
      parse(readFileSync(join(rulesDir, name), 'utf8')) as { groups: { rules: Rule[] }[] }
    ).groups.flatMap((group) => group.rules.filter((rule) => rule.alert)),
  );

function amtool(...args: string[]): { status: number | null; output: string } {
  const result = spawnSync('amtool', args, { encoding: 'utf8' });
  assert.ifError(result.error); // amtool comes with the Debian package prometheus-alertmanager
  return { status: result.status, output: result.stdout + result.stderr };
}

/** The receivers an alert with these labels reaches. */
function receiversOf(labels: Record<string, string>): string {
  const { status, output } = amtool(
    'config',
    'routes',
    'test',
    `--config.file=${config}`,
    ...Object.entries(labels).map(([name, value]) => `${name}=${value}`),
  );
  assert.equal(status, 0, output);
  return output.split('\n')[0]?.trim() ?? '';
}

test('amtool accepts the configuration', () => {
  const { status, output } = amtool('check-config', config);
  assert.equal(status, 0, output);
  assert.match(output, /SUCCESS/);
});

test('every alert reaches the receiver of its severity, and only that one', () => {
  assert.ok(alerts.length > 0);
  for (const rule of alerts) {
    const severity = rule.labels?.['severity'] ?? '';
    const expected = RECEIVER_OF_SEVERITY[severity];
    assert.ok(expected, `${rule.alert}: severity ${severity} has no receiver`);
    assert.equal(
      receiversOf({ alertname: rule.alert ?? '', severity, service: 'messaging' }),
      expected,
      `${rule.alert}`,
    );
  }
});

test('an alert without a known severity still reaches someone: a ticket', () => {
  assert.equal(receiversOf({ alertname: 'SomethingNew', severity: 'info' }), 'ticket');
  assert.equal(receiversOf({ alertname: 'SomethingNew' }), 'ticket');
});

test('a fast SLO burn inhibits the slow alert of the same SLO and service, and nothing else', () => {
  const { inhibit_rules: rules } = parse(readFileSync(config, 'utf8')) as {
    inhibit_rules: { source_matchers: string[]; target_matchers: string[]; equal: string[] }[];
  };
  const names = new Set(alerts.map((rule) => rule.alert));
  for (const slo of ['MessengerApiAvailability', 'MessengerDeliveryLatency']) {
    assert.ok(names.has(`${slo}BurnFast`) && names.has(`${slo}BurnSlow`), slo);
    assert.ok(
      rules.some(
        (rule) =>
          rule.source_matchers.includes(`alertname="${slo}BurnFast"`) &&
          rule.target_matchers.includes(`alertname="${slo}BurnSlow"`) &&
          rule.equal.includes('service'),
      ),
      `${slo}: no inhibition of the slow burn by the fast one`,
    );
  }
  for (const rule of rules) {
    for (const matcher of [...rule.source_matchers, ...rule.target_matchers]) {
      const alternatives = /^alertname=~?"([^"]+)"$/.exec(matcher)?.[1]?.split('|') ?? [];
      assert.ok(alternatives.length > 0, `${matcher}: inhibitions match alert names`);
      for (const name of alternatives) assert.ok(names.has(name), `${matcher}: no alert ${name}`);
    }
  }
});
