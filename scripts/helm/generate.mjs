#!/usr/bin/env node
// Writes the generated files, each from its one source:
//   packages/contracts/src/services.json    -> charts/messenger/files/services.json (the ports),
//                                              skaffold.yaml (one image per service), the
//                                              services table of docs/conventions.md, the
//                                              service jobs of the local Prometheus
//   k8s/crds/*.yaml                         -> charts/messenger/crds/
//   observability/grafana/dashboards/*.json -> charts/messenger/files/dashboards/
//   observability/prometheus/rules/*.yml    -> charts/messenger/files/prometheus-rules/
//   charts/messenger/values.schema.json     -> the values table of charts/messenger/README.md
//   helm template (default values)          -> k8s/rendered/messenger.yaml
// Helm cannot read outside the chart folder (and refuses dangling symlinks), hence copies; the
// chart tests fail when a copy differs from its source.
//   node scripts/helm/generate.mjs          write everything
//   node scripts/helm/generate.mjs --check  exit 1 when something is stale
import { Buffer } from 'node:buffer';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { isCollection, parse, parseAllDocuments, parseDocument, visit } from 'yaml';

export const root = join(import.meta.dirname, '..', '..');
export const chart = join(root, 'charts', 'messenger');
const KEEP = '.gitkeep';

/** Runs scripts/helm.sh; throws with helm's stderr when it fails. */
export function helm(args) {
  const result = spawnSync(join(root, 'scripts', 'helm.sh'), args, {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    const error = new Error(`helm ${args.join(' ')} failed:\n${result.stderr}`);
    error.stderr = result.stderr;
    throw error;
  }
  return result.stdout;
}

function listFiles(dir, pattern) {
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((name) => pattern.test(name))
        .sort()
    : [];
}

/** One folder mirrored into another: the files to write and the stale ones to delete. */
function mirror(from, to, pattern, { keep = true } = {}) {
  const names = listFiles(from, pattern);
  const files = names.map((name) => ({
    path: join(to, name),
    content: readFileSync(join(from, name), 'utf8'),
  }));
  if (keep) files.push({ path: join(to, KEEP), content: '' });
  const stale = listFiles(to, /./)
    .filter((name) => name !== KEEP && !names.includes(name))
    .map((name) => join(to, name));
  return { files, stale };
}

// ---- the services list -----------------------------------------------------------------------

export const servicesFile = join(root, 'packages', 'contracts', 'src', 'services.json');

/** {name: {port, localInstances}} of every service, in the list's order. */
export function serviceList() {
  return JSON.parse(readFileSync(servicesFile, 'utf8'));
}

/** The chart value that takes a service's image: services.<name>.image, or <name>.image. */
function imageValue(values, name) {
  if (values.services?.[name]) return `services.${name}.image`;
  if (values[name] && 'image' in values[name]) return `${name}.image`;
  throw new Error(`charts/messenger/values.yaml has no image value for the service ${name}`);
}

/** skaffold.yaml with one artifact per service (the one Dockerfile) and the chart given them. */
function skaffold() {
  const path = join(root, 'skaffold.yaml');
  const doc = parseDocument(readFileSync(path, 'utf8'));
  const values = parse(readFileSync(join(chart, 'values.yaml'), 'utf8'));
  const names = Object.keys(serviceList());
  doc.setIn(
    ['build', 'artifacts'],
    doc.createNode(
      names.map((name) => ({
        image: name,
        context: '.',
        docker: { dockerfile: 'Dockerfile', buildArgs: { SERVICE: name } },
      })),
    ),
  );
  doc.setIn(
    ['deploy', 'helm', 'releases', 0, 'setValueTemplates'],
    doc.createNode(
      Object.fromEntries(
        names.map((name) => [imageValue(values, name), `{{.IMAGE_FULLY_QUALIFIED_${name}}}`]),
      ),
    ),
  );
  const gateway = serviceList().gateway.port;
  doc.setIn(['portForward', 0, 'port'], gateway);
  doc.setIn(['portForward', 0, 'localPort'], gateway);
  return { path, content: blockYaml(doc) };
}

/** Block style throughout: what Prettier leaves as it is. */
function blockYaml(doc) {
  visit(doc, (_, node) => {
    if (isCollection(node)) node.flow = false;
  });
  return doc.toString({ singleQuote: true, lineWidth: 100 });
}

/** The local stack's Prometheus scrapes every local instance of every service, one job each. */
function localPrometheus() {
  const path = join(root, 'observability', 'prometheus', 'prometheus.local.yml');
  const doc = parseDocument(readFileSync(path, 'utf8'));
  const list = serviceList();
  const others = doc.get('scrape_configs').items.filter((job) => !(job.get('job_name') in list));
  const jobs = Object.entries(list)
    .filter(([, { localInstances }]) => localInstances > 0)
    .map(([name, { port, localInstances }]) => ({
      job_name: name,
      static_configs: Array.from({ length: localInstances }, (_, n) => ({
        targets: [`127.0.0.1:${port + n}`],
        labels: { service: name },
      })),
    }));
  doc.set('scrape_configs', doc.createNode([...jobs, ...others]));
  return { path, content: blockYaml(doc) };
}

function instancesText(port, count) {
  if (count === 0) return 'none (`make up` does not start it)';
  return Array.from({ length: count }, (_, n) => port + n).join(', ');
}

const SERVICES_START = '<!-- services-table:start (generated by scripts/helm/generate.mjs) -->';
const SERVICES_END = '<!-- services-table:end -->';

/** The services table of docs/conventions.md, from the list. */
function conventions() {
  const path = join(root, 'docs', 'conventions.md');
  const lines = [
    '| service | folder | port | local instances (ports) |',
    '|---|---|---|---|',
    ...Object.entries(serviceList()).map(
      ([name, { port, localInstances }]) =>
        `| ${name} | \`services/${name}\` | ${port} | ${instancesText(port, localInstances)} |`,
    ),
  ];
  return { path, content: between(path, SERVICES_START, SERVICES_END, lines.join('\n')) };
}

/** The file's text with what lies between its two markers replaced. */
function between(path, start, end, inner) {
  const text = readFileSync(path, 'utf8');
  const [before, rest] = text.split(start);
  if (rest === undefined || !rest.includes(end)) throw new Error(`${path}: markers missing`);
  const after = rest.slice(rest.indexOf(end) + end.length);
  return `${before}${start}\n${inner}\n${end}${after}`;
}

// ---- README values table ----------------------------------------------------------------------

function resolve(schema, node) {
  if (!node?.$ref) return { node, ref: undefined };
  const ref = node.$ref.replace('#/definitions/', '');
  return { node: { ...schema.definitions[ref], ...node, $ref: undefined }, ref };
}

function typeOf(node) {
  if (node.enum) return node.enum.join(' \\| ');
  if (node.anyOf) return node.anyOf.map((n) => n.type).join(' \\| ');
  return [node.type].flat().join(' \\| ');
}

function valueAt(values, path) {
  return path.reduce((value, key) => (value == null ? undefined : value[key]), values);
}

function show(value) {
  if (value === undefined) return '';
  const text = JSON.stringify(value);
  return text.length > 70 ? 'see values.yaml' : `\`${text.replaceAll('|', '\\|')}\``;
}

function rows(schema, values, node, path, out) {
  for (const [key, raw] of Object.entries(node.properties ?? {})) {
    const { node: child, ref } = resolve(schema, raw);
    const services = ref === 'service';
    const here = services ? [...path, '<name>'] : [...path, key];
    if (services && out.some((row) => row.path.startsWith(here.join('.')))) continue;
    const nested = child.properties && (!ref || services);
    if (nested) {
      rows(schema, values, child, here, out);
      continue;
    }
    let shown;
    if (here.includes('<name>')) {
      const byService = Object.keys(values.services).map((name) => [
        name,
        show(
          valueAt(
            values,
            here.map((part) => (part === '<name>' ? name : part)),
          ),
        ),
      ]);
      const distinct = [...new Set(byService.map(([, text]) => text))];
      shown =
        distinct.length === 1
          ? distinct[0]
          : byService.map(([name, text]) => `${name}: ${text}`).join('<br>');
    } else {
      shown = show(valueAt(values, here));
    }
    out.push({
      path: here.join('.'),
      type: typeOf(child),
      shown,
      description: child.description ?? '',
    });
  }
  return out;
}

export function valuesTable() {
  const schema = JSON.parse(readFileSync(join(chart, 'values.schema.json'), 'utf8'));
  const values = parse(readFileSync(join(chart, 'values.yaml'), 'utf8'));
  const lines = ['| key | type | default | description |', '|---|---|---|---|'];
  for (const row of rows(schema, values, schema, [], [])) {
    lines.push(`| \`${row.path}\` | ${row.type} | ${row.shown} | ${row.description} |`);
  }
  return lines.join('\n');
}

const START = '<!-- values-table:start (generated by scripts/helm/generate.mjs) -->';
const END = '<!-- values-table:end -->';

function readme() {
  const path = join(chart, 'README.md');
  return { path, content: between(path, START, END, valuesTable()) };
}

// ---- k8s/rendered ----------------------------------------------------------------------------

export const RENDER_ARGS = ['messenger', 'charts/messenger', '--namespace', 'messenger'];

/**
 * The chart's generated passwords are random on every render; plain manifests carry a visible
 * placeholder instead (replace it, or create the Secret yourself, before applying).
 */
export function maskGeneratedSecrets(text) {
  let masked = text;
  for (const doc of parseAllDocuments(text)) {
    const object = doc.toJS();
    if (object?.kind !== 'Secret') continue;
    if (object.metadata?.annotations?.['messenger.dev/generated'] !== 'true') continue;
    const decoded = Object.fromEntries(
      Object.entries(object.data).map(([key, value]) => [
        key,
        Buffer.from(value, 'base64').toString(),
      ]),
    );
    for (const [key, value] of Object.entries(object.data)) {
      let plain = decoded[key];
      for (const [other, password] of Object.entries(decoded)) {
        if (/_(PASSWORD|KEYFILE)$/.test(other))
          plain = plain.replaceAll(password, `CHANGE-ME-${other}`);
      }
      masked = masked.replace(value, Buffer.from(plain).toString('base64'));
    }
  }
  return masked;
}

function rendered() {
  const text = helm(['template', ...RENDER_ARGS, '--skip-tests']);
  const header =
    '# Plain manifests of a default install (release "messenger", namespace "messenger"),\n' +
    '# generated by scripts/helm/generate.mjs from charts/messenger - do not edit.\n' +
    '#   kubectl apply -f k8s/crds/ && kubectl apply -n messenger -f k8s/rendered/\n' +
    '# Generated passwords are CHANGE-ME placeholders: replace them first.\n';
  return {
    path: join(root, 'k8s', 'rendered', 'messenger.yaml'),
    content: header + maskGeneratedSecrets(text),
  };
}

// ---- plan / write / check --------------------------------------------------------------------

/** Everything this script writes: {files: [{path, content}], stale: [path]}. */
export function plan({ render = true } = {}) {
  const parts = [
    mirror(join(root, 'k8s', 'crds'), join(chart, 'crds'), /\.ya?ml$/, { keep: false }),
    mirror(
      join(root, 'observability', 'grafana', 'dashboards'),
      join(chart, 'files', 'dashboards'),
      /\.json$/,
    ),
    mirror(
      join(root, 'observability', 'prometheus', 'rules'),
      join(chart, 'files', 'prometheus-rules'),
      /\.ya?ml$/,
    ),
  ];
  const files = parts.flatMap((part) => part.files);
  const stale = parts.flatMap((part) => part.stale);
  files.push(readme());
  files.push({
    path: join(chart, 'files', 'services.json'),
    content: readFileSync(servicesFile, 'utf8'),
  });
  files.push(skaffold());
  files.push(conventions());
  files.push(localPrometheus());
  if (render) files.push(rendered());
  return { files, stale };
}

/** Paths (relative to the repository) whose content differs from what plan() would write. */
export function differences(result = plan()) {
  const changed = result.files
    .filter(({ path, content }) => !existsSync(path) || readFileSync(path, 'utf8') !== content)
    .map(({ path }) => path);
  return [...changed, ...result.stale].map((path) => relative(root, path));
}

if (process.argv[1] === import.meta.filename) {
  const check = process.argv.includes('--check');
  const result = plan();
  if (check) {
    const stale = differences(result);
    if (stale.length > 0) {
      console.error(`stale (run node scripts/helm/generate.mjs):\n  ${stale.join('\n  ')}`);
      process.exit(1);
    }
    console.log('generated chart files are current');
  } else {
    for (const { path, content } of result.files) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, content);
    }
    for (const path of result.stale) rmSync(path);
    console.log(`wrote ${result.files.length} files, removed ${result.stale.length}`);
  }
}
