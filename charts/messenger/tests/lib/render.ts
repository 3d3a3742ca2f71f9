// Renders the chart with helm (scripts/helm.sh) and gives the objects to the tests.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
// @ts-expect-error -- plain ESM script without type declarations
import { chart, helm, root } from '../../../../scripts/helm/generate.mjs';

export { chart, root };
export const runHelm = helm as (args: string[]) => string;
export const RELEASE = 'chat';
export const NAMESPACE = 'messenger';

export type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [key: string]: unknown;
};

export interface Scenario {
  name: string;
  valuesFile?: string;
  chartDir: string;
}

/** The default values plus every ci/*-values.yaml. */
export function scenarios(): Scenario[] {
  const files = readdirSync(join(chart as string, 'ci')).filter((f) => f.endsWith('-values.yaml'));
  return [
    { name: 'default', chartDir: chart as string },
    ...files.sort().map((file) => ({
      name: file.replace(/-values\.yaml$/, ''),
      valuesFile: join(chart as string, 'ci', file),
      chartDir: chart as string,
    })),
  ];
}

/**
 * A copy of the chart with a fixture dashboard and rule file, rendered with the observability
 * values: proves the templates that ship observability/ while that folder may still be empty.
 */
export function fixtureScenario(): Scenario {
  const dir = join(mkdtempSync(join(tmpdir(), 'messenger-chart-')), 'messenger');
  cpSync(chart as string, dir, { recursive: true });
  writeFileSync(
    join(dir, 'files', 'dashboards', 'fixture_overview.json'),
    JSON.stringify({ title: 'Fixture {{ not a template }}', panels: [], schemaVersion: 39 }),
  );
  writeFileSync(
    join(dir, 'files', 'prometheus-rules', 'fixture.yml'),
    'groups:\n  - name: fixture\n    rules:\n      - alert: FixtureDown\n        expr: up{job="x"} == 0\n        for: 5m\n        labels: { severity: page }\n        annotations: { summary: "{{ $labels.instance }} down" }\n      - record: fixture:up:sum\n        expr: sum(up)\n',
  );
  return {
    name: 'observability-with-fixtures',
    valuesFile: join(dir, 'ci', 'observability-values.yaml'),
    chartDir: dir,
  };
}

/** A copy of the chart whose dashboards and rules folders are empty. */
export function emptyObservabilityScenario(): Scenario {
  const dir = join(mkdtempSync(join(tmpdir(), 'messenger-chart-')), 'messenger');
  cpSync(chart as string, dir, { recursive: true });
  for (const sub of ['dashboards', 'prometheus-rules']) {
    for (const file of readdirSync(join(dir, 'files', sub))) rmSync(join(dir, 'files', sub, file));
  }
  return {
    name: 'observability-empty-folders',
    valuesFile: join(dir, 'ci', 'observability-values.yaml'),
    chartDir: dir,
  };
}

export function templateArgs(scenario: Scenario, extra: string[] = []): string[] {
  return [
    'template',
    RELEASE,
    scenario.chartDir,
    '--namespace',
    NAMESPACE,
    '--include-crds',
    ...(scenario.valuesFile ? ['-f', scenario.valuesFile] : []),
    ...extra,
  ];
}

export function parseObjects(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(doc.errors.map((e) => e.message).join('\n'));
      return doc.toJS() as K8sObject | null;
    })
    .filter((object): object is K8sObject => object !== null);
}

const cache = new Map<string, K8sObject[]>();

export function render(scenario: Scenario): K8sObject[] {
  const key = `${scenario.chartDir}|${scenario.valuesFile ?? ''}`;
  let objects = cache.get(key);
  if (!objects) {
    objects = parseObjects(runHelm(templateArgs(scenario)));
    cache.set(key, objects);
  }
  return objects;
}

/** values.yaml deep-merged with the scenario's file (maps merge, everything else replaces). */
export function values(scenario: Scenario): Record<string, unknown> {
  const base = parse(readFileSync(join(scenario.chartDir, 'values.yaml'), 'utf8')) as Record<
    string,
    unknown
  >;
  if (!scenario.valuesFile) return base;
  return merge(base, parse(readFileSync(scenario.valuesFile, 'utf8')) as Record<string, unknown>);
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function merge(
  base: Record<string, unknown>,
  over: Record<string, unknown>,
): Record<string, unknown> {
  const out = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    out[key] = isMap(current) && isMap(value) ? merge(current, value) : value;
  }
  return out;
}

export interface PodTemplate {
  owner: K8sObject;
  labels: Record<string, string>;
  spec: Record<string, any>;
  longRunning: boolean;
}

/** The pod spec of every workload (and bare Pod) with its labels. */
export function podTemplates(objects: K8sObject[]): PodTemplate[] {
  const out: PodTemplate[] = [];
  for (const object of objects) {
    const o = object as any;
    if (['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'].includes(object.kind)) {
      out.push({
        owner: object,
        labels: o.spec.template.metadata?.labels ?? {},
        spec: o.spec.template.spec,
        longRunning: true,
      });
    } else if (object.kind === 'Job') {
      out.push({
        owner: object,
        labels: o.spec.template.metadata?.labels ?? {},
        spec: o.spec.template.spec,
        longRunning: false,
      });
    } else if (object.kind === 'CronJob') {
      const t = o.spec.jobTemplate.spec.template;
      out.push({
        owner: object,
        labels: t.metadata?.labels ?? {},
        spec: t.spec,
        longRunning: false,
      });
    } else if (object.kind === 'Pod') {
      out.push({
        owner: object,
        labels: object.metadata.labels ?? {},
        spec: o.spec,
        longRunning: false,
      });
    }
  }
  return out;
}

export function matches(
  selector: Record<string, string> | undefined,
  labels: Record<string, string>,
): boolean {
  return Object.entries(selector ?? {}).every(([key, value]) => labels[key] === value);
}

export function id(object: K8sObject): string {
  return `${object.kind}/${object.metadata.name}`;
}
