// Grafana dashboards: structure (datasource variable, unique ids), and every query against a REAL
// Prometheus. With PROMETHEUS_URL (the local stack's, which scrapes the running services) the
// metric names must also exist there; without it a throwaway Prometheus is started from the
// Debian binary for the syntax part and names are checked against the services' sources.
// Either way that Prometheus loads rules/*.yml, and every rule must evaluate without error.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { parse } from 'yaml';
import { freePort } from '@messenger/testkit/free-port';

const root = join(__dirname, '..');
const repo = join(root, '..');
const dashboardsDir = join(root, 'grafana', 'dashboards');
const rulesDir = join(root, 'prometheus', 'rules');

/**
 * Metrics a stack at rest does not export yet. Every entry says why; delete it when it stops
 * being true. Names here are still checked for PromQL syntax like every other.
 */
const allowList = new Map<string, string>([
  // Labelled by route and status; /healthz, /readyz and /metrics bypass the middleware, so a
  // series exists only once a service handled a real request.
  ['http_server_duration_seconds_bucket', 'under load: first non-health request'],
  ['http_server_duration_seconds_count', 'under load: first non-health request'],
  // Labelled by topic and result: a series exists only once an event was consumed.
  ['kafka_consumed_events_total', 'under load: first consumed event'],
  // Labelled by transport (rest, socket): a series exists only once a message was sent.
  ['messaging_messages_sent_total', 'under load: first message sent'],
  // Labelled by Socket.IO's disconnect reason: a series exists only once a socket closed.
  ['messaging_socket_disconnects_total', 'under load: first socket closed'],
  // Labelled by reason: a series exists only once a flooding socket was cut off.
  ['messaging_socket_cutoffs_total', 'under abuse: first socket cut off'],
  ['messaging_uploads_swept_total', 'a day after the first upload: first upload swept'],
]);

/**
 * Metrics of the chart's optional exporters of the bundled servers (`<store>.metrics.enabled`),
 * which the local stack does not run: their names cannot be checked here (their PromQL still
 * is, like every other), so they may appear only in panels of a "Store: …" row.
 */
const exporterMetrics = new Map<string, string>([
  ['pg_up', 'postgres_exporter'],
  ['pg_stat_database_numbackends', 'postgres_exporter'],
  ['pg_stat_database_xact_commit', 'postgres_exporter'],
  ['pg_stat_database_xact_rollback', 'postgres_exporter'],
  ['redis_up', 'redis_exporter'],
  ['redis_memory_used_bytes', 'redis_exporter'],
  ['redis_commands_processed_total', 'redis_exporter'],
  ['redis_connected_clients', 'redis_exporter'],
  ['kafka_brokers', 'kafka_exporter'],
  ['kafka_topic_partition_under_replicated_partition', 'kafka_exporter'],
  ['kafka_consumergroup_lag', 'kafka_exporter'],
  ['mongodb_up', 'mongodb_exporter'],
  ['mongodb_connections', 'mongodb_exporter (--compatible-mode)'],
  ['mongodb_op_counters_total', 'mongodb_exporter (--compatible-mode)'],
]);
const STORE_ROW = /^Store: /;

/**
 * Metrics of the operator (chart value `operator.enabled`; `make up` does not start it): the
 * stack's Prometheus never has them, so they may appear only in the "Operator" row.
 */
const operatorMetrics = new Set([
  'operator_leader',
  'operator_reconcile_total',
  'operator_reconcile_duration_seconds_bucket',
  'operator_messaging_sockets',
  'operator_messaging_desired_replicas',
]);
const OPERATOR_ROW = /^Operator\b/;

/** Grafana's built-in variables, replaced by values Prometheus accepts. */
const builtins: Record<string, string> = {
  __rate_interval: '1m',
  __interval: '1m',
  __range: '1h',
};

interface Target {
  refId: string;
  expr: string;
  datasource?: { type?: string; uid?: string };
}
interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: { type?: string; uid?: string };
  gridPos: { x: number; y: number; w: number; h: number };
  targets?: Target[];
  panels?: Panel[];
}
interface Variable {
  name: string;
  type: string;
  query: string | { query: string };
  datasource?: { type?: string; uid?: string };
}
interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: Panel[];
  templating: { list: Variable[] };
}

const dashboards = readdirSync(dashboardsDir)
  .filter((name) => name.endsWith('.json'))
  .map((name) => ({
    file: name,
    json: JSON.parse(readFileSync(join(dashboardsDir, name), 'utf8')) as Dashboard,
  }));
const panelsOf = (d: Dashboard): Panel[] => d.panels.flatMap((p) => [p, ...(p.panels ?? [])]);

/** The title of the row a panel sits under (rows are not collapsed: the row above it). */
function rowOf(d: Dashboard, panel: Panel): string {
  const rows = d.panels
    .filter((p) => p.type === 'row' && p.gridPos.y <= panel.gridPos.y)
    .sort((a, b) => b.gridPos.y - a.gridPos.y);
  return rows[0]?.title ?? '';
}

/** Every PromQL expression of a dashboard: panel targets and the selector of label_values(). */
function queriesOf(d: Dashboard): { name: string; expr: string }[] {
  const variables = d.templating.list
    .filter((v) => v.type === 'query')
    .map((v) => {
      const query = typeof v.query === 'string' ? v.query : v.query.query;
      const selector = /^label_values\((.+),\s*\w+\)$/.exec(query)?.[1];
      assert.ok(selector, `${d.uid}: variable ${v.name} is not label_values(selector, label)`);
      return { name: `variable ${v.name}`, expr: selector };
    });
  const targets = panelsOf(d).flatMap((p) =>
    (p.targets ?? []).map((t) => ({ name: `${p.title} [${t.refId}]`, expr: t.expr })),
  );
  return [...variables, ...targets];
}

/** Replaces Grafana variables; fails on one the dashboard does not define. */
function substitute(d: Dashboard, expr: string): string {
  const defined = new Set(d.templating.list.map((v) => v.name));
  return expr.replace(/\$\{?(\w+)(?::\w+)?\}?/g, (_, name: string) => {
    if (name in builtins) return builtins[name] ?? '';
    assert.ok(defined.has(name), `${d.uid}: $${name} is not a variable of the dashboard`);
    return '.+';
  });
}

const keywords = new Set(
  'and or unless atan2 bool offset inf nan by without on ignoring group_left group_right'.split(
    ' ',
  ),
);

/** Metric names a PromQL expression reads (strings, matchers, ranges and label lists removed). */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = new Set<string>();
  // A token starting with a digit is a number or a duration (2.5e+3, 5m), never a name.
  for (const match of bare.matchAll(/\d[\w.]*(?:[+-]\d+)?|[a-zA-Z_:][\w:]*/g)) {
    const word = match[0];
    if (/^\d/.test(word) || keywords.has(word.toLowerCase())) continue;
    if (/^\s*\(/.test(bare.slice(match.index + word.length))) continue; // a function call
    names.add(word);
  }
  return [...names];
}

const rules = readdirSync(rulesDir)
  .filter((name) => name.endsWith('.yml'))
  .flatMap(
    (name) =>
      (
        parse(readFileSync(join(rulesDir, name), 'utf8')) as {
          groups: { name: string; rules: { record?: string; alert?: string; expr: string }[] }[];
        }
      ).groups,
  );
const recorded = new Set(rules.flatMap((g) => g.rules.flatMap((r) => r.record ?? [])));

/** Metric names the services declare in code, with histogram suffixes, plus prom-client's defaults. */
async function declaredMetricNames(): Promise<Set<string>> {
  const names = new Set(['up']);
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  for (const metric of await registry.getMetricsAsJSON()) names.add(metric.name);
  const sources = ['packages', 'services'].flatMap((top) =>
    readdirSync(join(repo, top)).flatMap((pkg) => {
      const src = join(repo, top, pkg, 'src');
      try {
        return readdirSync(src, { recursive: true, encoding: 'utf8' }).map((f) => join(src, f));
      } catch {
        return [];
      }
    }),
  );
  for (const file of sources.filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
    const code = readFileSync(file, 'utf8');
    for (const [, name] of code.matchAll(
      /new (?:Counter|Gauge|Histogram|Summary)(?:<[^>]*>)?\(\{\s*name:\s*['"`]([\w:]+)['"`]/g,
    )) {
      for (const suffix of ['', '_bucket', '_count', '_sum']) names.add(`${name ?? ''}${suffix}`);
    }
  }
  return names;
}

/** A Prometheus of our own: scrapes itself and loads rules/*.yml, evaluating every second. */
async function startThrowaway(): Promise<{ url: string; stop: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'messenger-prometheus-'));
  const port = await freePort();
  const config = join(dir, 'prometheus.yml');
  writeFileSync(
    config,
    JSON.stringify({
      global: { scrape_interval: '1s', evaluation_interval: '1s' },
      rule_files: [join(rulesDir, '*.yml')],
      scrape_configs: [
        {
          job_name: 'prometheus',
          static_configs: [{ targets: [`127.0.0.1:${port}`], labels: { service: 'prometheus' } }],
        },
      ],
    }),
  );
  const child: ChildProcess = spawn(
    'prometheus',
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  const state = { running: true };
  child.stderr?.on('data', (chunk: Buffer) => {
    log += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => {
    child.once('error', (error) => {
      log += `${error.message} (is the Debian package prometheus installed?)`;
      state.running = false;
      resolve();
    });
    child.once('exit', () => {
      state.running = false;
      resolve();
    });
  });
  const stop = async (): Promise<void> => {
    if (state.running) child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const ready = await fetch(`${url}/-/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return { url, stop };
    if (!state.running || Date.now() > deadline) {
      await stop();
      assert.fail(`throwaway Prometheus did not become ready:\n${log.slice(-2000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function api(
  url: string,
  path: string,
): Promise<{ status: string; data: unknown; error?: string }> {
  const response = await fetch(`${url}${path}`);
  return (await response.json()) as { status: string; data: unknown; error?: string };
}

test('metricNames finds the metrics of an expression and nothing else', () => {
  assert.deepEqual(
    metricNames(
      'histogram_quantile(0.99, sum by (service, le) (rate(a_bucket{route=~"/x|y", le!="1"}[5m])))' +
        ' / on(service) group_left b:rec offset 5m > 2.5e3 and bool c',
    ),
    ['a_bucket', 'b:rec', 'c'],
  );
  assert.deepEqual(metricNames('count(up == 0) or vector(0)'), ['up']);
});

describe('dashboards', () => {
  test('the overview and messaging dashboards exist, uids unique', () => {
    const uids = dashboards.map((d) => d.json.uid);
    assert.ok(uids.includes('messenger-overview') && uids.includes('messenger-messaging'));
    assert.equal(new Set(uids).size, uids.length);
  });

  for (const { file, json: d } of dashboards) {
    test(`${file}: stable uid, current schema, datasource variable`, () => {
      assert.equal(d.uid, file.replace(/\.json$/, ''), 'uid is the file name, so links stay');
      assert.ok(d.title.startsWith('Messenger / '), d.title);
      assert.ok(d.schemaVersion >= 36, `schemaVersion ${d.schemaVersion}`);
      const ds = d.templating.list.find((v) => v.name === 'datasource');
      assert.equal(ds?.type, 'datasource');
      assert.equal(ds.query, 'prometheus');
      for (const v of d.templating.list.filter((x) => x.type === 'query')) {
        assert.deepEqual(v.datasource, { type: 'prometheus', uid: '${datasource}' }, v.name);
      }
    });

    test(`${file}: no two panels overlap on the grid`, () => {
      const panels = panelsOf(d);
      for (const [i, a] of panels.entries()) {
        for (const b of panels.slice(i + 1)) {
          const apart =
            a.gridPos.x + a.gridPos.w <= b.gridPos.x ||
            b.gridPos.x + b.gridPos.w <= a.gridPos.x ||
            a.gridPos.y + a.gridPos.h <= b.gridPos.y ||
            b.gridPos.y + b.gridPos.h <= a.gridPos.y;
          assert.ok(apart, `${a.title} and ${b.title} overlap`);
        }
      }
    });

    test(`${file}: unique panel ids, every panel queries the datasource variable`, () => {
      const panels = panelsOf(d);
      const ids = panels.map((p) => p.id);
      assert.equal(new Set(ids).size, ids.length, `duplicate ids in ${ids.join(',')}`);
      for (const p of panels) {
        assert.ok(p.gridPos.x + p.gridPos.w <= 24, `${p.title}: wider than the grid`);
        if (p.type === 'row') continue;
        assert.deepEqual(p.datasource, { type: 'prometheus', uid: '${datasource}' }, p.title);
        assert.ok((p.targets ?? []).length > 0, `${p.title}: no query`);
        for (const t of p.targets ?? []) {
          assert.ok(t.expr.trim(), `${p.title} [${t.refId}]: empty expr`);
          assert.deepEqual(t.datasource, p.datasource, `${p.title} [${t.refId}]`);
        }
      }
    });
  }
});

test('operator metrics only in the "Operator" row, which reads nothing else', () => {
  const overview = dashboards.find((x) => x.json.uid === 'messenger-overview')!.json;
  for (const { file, json: d } of dashboards) {
    for (const panel of panelsOf(d).filter((p) => p.type !== 'row')) {
      const inOperatorRow = OPERATOR_ROW.test(rowOf(d, panel));
      for (const t of panel.targets ?? []) {
        for (const name of metricNames(substitute(d, t.expr))) {
          assert.equal(
            operatorMetrics.has(name),
            inOperatorRow,
            `${file}: ${panel.title} [${t.refId}] reads ${name}`,
          );
        }
      }
    }
  }
  assert.equal(
    overview.panels.filter((p) => p.type === 'row' && OPERATOR_ROW.test(p.title)).length,
    1,
  );
});

test('exporter metrics only in "Store: …" rows, which read nothing else', () => {
  for (const { file, json: d } of dashboards) {
    for (const panel of panelsOf(d).filter((p) => p.type !== 'row')) {
      const inStoreRow = STORE_ROW.test(rowOf(d, panel));
      for (const t of panel.targets ?? []) {
        for (const name of metricNames(substitute(d, t.expr))) {
          assert.equal(
            exporterMetrics.has(name),
            inStoreRow,
            `${file}: ${panel.title} [${t.refId}] reads ${name}`,
          );
        }
      }
    }
  }
  const overview = dashboards.find((x) => x.json.uid === 'messenger-overview')!.json;
  const storeRows = overview.panels.filter((p) => p.type === 'row' && STORE_ROW.test(p.title));
  assert.deepEqual(
    storeRows.map((r) => /^Store: (\w+)/.exec(r.title)?.[1]),
    ['PostgreSQL', 'Redis', 'Kafka', 'MongoDB'],
    'one row per bundled store',
  );
});

describe('against a real Prometheus', () => {
  const live = process.env.PROMETHEUS_URL?.replace(/\/$/, '');
  let url = '';
  let stop = (): Promise<void> => Promise.resolve();

  before(async () => {
    if (live) {
      url = live;
    } else {
      ({ url, stop } = await startThrowaway());
    }
  });
  after(() => stop());

  for (const { file, json: d } of dashboards) {
    for (const { name, expr } of queriesOf(d)) {
      test(`${file}: ${name} is valid PromQL`, async () => {
        const query = substitute(d, expr);
        const body = await api(url, `/api/v1/query?query=${encodeURIComponent(query)}`);
        assert.equal(body.status, 'success', `${query}\n${body.error ?? ''}`);
      });
    }
  }

  test('every metric the dashboards and rules read exists or is allow-listed', async (t) => {
    let known: Set<string>;
    if (live) {
      const { data } = await api(url, '/api/v1/label/__name__/values');
      known = new Set(data as string[]);
    } else {
      known = await declaredMetricNames();
      t.diagnostic(
        'PROMETHEUS_URL unset: names checked against the sources of packages/ and services/',
      );
    }
    const exprs = [
      ...dashboards.flatMap(({ json: d }) => queriesOf(d).map((q) => substitute(d, q.expr))),
      ...rules.flatMap((g) => g.rules.map((r) => r.expr)),
    ];
    const used = new Set(exprs.flatMap(metricNames));
    const missing = [...used].filter(
      (n) =>
        !known.has(n) &&
        !recorded.has(n) &&
        !allowList.has(n) &&
        !exporterMetrics.has(n) &&
        !(operatorMetrics.has(n) && live),
    );
    assert.deepEqual(missing, [], `used but neither exported nor allow-listed (${url})`);
    const unused = [...allowList.keys(), ...exporterMetrics.keys(), ...operatorMetrics].filter(
      (n) => !used.has(n),
    );
    assert.deepEqual(unused, [], 'allow-list entries nothing uses');
    const present = [...allowList.keys()].filter((n) => known.has(n));
    if (live && present.length) t.diagnostic(`allow-listed but present now: ${present.join(', ')}`);
  });

  test('Prometheus loaded rules/*.yml and evaluates every rule without error', async () => {
    interface Loaded {
      groups: { name: string; rules: { name: string; health: string; lastError?: string }[] }[];
    }
    const deadline = Date.now() + 30_000;
    for (;;) {
      const data = (await api(url, '/api/v1/rules')).data as Loaded;
      const ours = data.groups.filter((g) => rules.some((r) => r.name === g.name));
      const loaded = ours.flatMap((g) => g.rules);
      const expected = rules.flatMap((g) => g.rules);
      const pending = loaded.some((r) => r.health === 'unknown');
      if ((loaded.length === expected.length && !pending) || Date.now() > deadline) {
        assert.deepEqual(
          loaded.map((r) => r.name).sort(),
          expected.map((r) => r.record ?? r.alert).sort(),
          `${url} has not loaded ${relative(repo, rulesDir)}/*.yml (restart it or POST /-/reload)`,
        );
        const failing = loaded.filter((r) => r.health !== 'ok');
        assert.deepEqual(failing, [], 'rules failing to evaluate');
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  });
});
