// Every object of every scenario against the Kubernetes schemas (kubernetes-models), the
// Prometheus Operator kinds against their minimal shapes, the example MessengerPlatform against
// the CRD's own schema.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { typeCheck, typeCheckIndexed, validateModel } from './lib/kube.ts';
import {
  emptyObservabilityScenario,
  fixtureScenario,
  id,
  render,
  root,
  scenarios,
  type K8sObject,
} from './lib/render.ts';
import { operatorShapes, validateSchema, type Schema } from './lib/schema.ts';

const crd = parse(
  readFileSync(join(root, 'k8s', 'crds', 'messengerplatforms.platform.messenger.dev.yaml'), 'utf8'),
);
const crdSchema = crd.spec.versions[0].schema.openAPIV3Schema as Schema;
const all = [...scenarios(), fixtureScenario(), emptyObservabilityScenario()];
const totals = { scenarios: 0, objects: 0, byModels: 0, byShape: 0 };

/** Per scenario: runtime validation now; the strict-field type-check of all of them at once. */
const checked = all.map((scenario) => {
  const objects = render(scenario);
  const models: K8sObject[] = [];
  const problems: string[] = [];
  let shaped = 0;
  for (const object of objects) {
    // The release's MessengerPlatform (operator.platform) against the CRD's own schema.
    const shape =
      object.kind === crd.spec.names.kind
        ? crdSchema
        : operatorShapes[`${object.apiVersion}/${object.kind}`];
    if (shape) {
      problems.push(...validateSchema(shape, object).map((e) => `${id(object)}${e}`));
      shaped++;
      continue;
    }
    const error = validateModel(object);
    if (error) problems.push(`${id(object)}: ${error}`);
    else models.push(object);
  }
  return { scenario, objects, models, problems, shaped };
});
const everyModel = checked.flatMap((c) => c.models);
const typeProblems = typeCheckIndexed(everyModel);
let offset = 0;
for (const c of checked) {
  const from = offset;
  offset += c.models.length;
  for (const { index, message } of typeProblems) {
    if (index >= from && index < offset) c.problems.push(`${id(everyModel[index]!)}: ${message}`);
    else if (index < 0 && c === checked[0]) c.problems.push(message);
  }
}

for (const c of checked) {
  test(`${c.scenario.name}: every rendered object is a valid Kubernetes object`, (t) => {
    assert.ok(c.objects.length > 0);
    assert.deepEqual(c.problems, []);
    const kinds = [...new Set(c.objects.map((o) => o.kind))].sort();
    t.diagnostic(
      `${c.objects.length} objects (${c.models.length} by kubernetes-models, ${c.shaped} by operator shape): ${kinds.join(', ')}`,
    );
    totals.scenarios++;
    totals.objects += c.objects.length;
    totals.byModels += c.models.length;
    totals.byShape += c.shaped;
  });
}

test('PrometheusRule rules are alerts or recordings, never both', () => {
  const rules = render(all.find((s) => s.name === 'observability-with-fixtures')!)
    .filter((o) => o.kind === 'PrometheusRule')
    .flatMap((o: any) => o.spec.groups.flatMap((g: any) => g.rules));
  assert.ok(rules.length > 0, 'the fixture scenario renders rules');
  for (const rule of rules)
    assert.ok(Boolean(rule.alert) !== Boolean(rule.record), JSON.stringify(rule));
});

const example = parse(
  readFileSync(join(root, 'k8s', 'examples', 'messengerplatform.yaml'), 'utf8'),
);

test('the CRD is a valid CustomResourceDefinition with a status subresource', () => {
  assert.equal(validateModel(crd), undefined);
  assert.deepEqual(typeCheck([crd]), []);
  assert.equal(crd.spec.versions.length, 1);
  assert.deepEqual(crd.spec.versions[0].subresources, { status: {} });
  assert.equal(crd.metadata.name, `${crd.spec.names.plural}.${crd.spec.group}`);
});

test('the CRD schema is structural: every node has a type, no $ref', () => {
  const walk = (node: Schema, path: string): string[] => {
    const problems: string[] = [];
    if (!node.type && !node['x-kubernetes-int-or-string'] && !node.anyOf)
      problems.push(`${path}: no type`);
    if ('$ref' in node) problems.push(`${path}: $ref`);
    for (const [key, child] of Object.entries(node.properties ?? {}))
      problems.push(...walk(child as Schema, `${path}.${key}`));
    if (node.items) problems.push(...walk(node.items, `${path}[]`));
    if (typeof node.additionalProperties === 'object')
      problems.push(...walk(node.additionalProperties, `${path}.*`));
    return problems;
  };
  assert.deepEqual(walk(crdSchema, ''), []);
});

test('the example MessengerPlatform matches the CRD schema', () => {
  assert.equal(example.apiVersion, `${crd.spec.group}/${crd.spec.versions[0].name}`);
  assert.equal(example.kind, crd.spec.names.kind);
  assert.deepEqual(validateSchema(crdSchema, example), []);
});

test('the CRD schema refuses a broken MessengerPlatform', () => {
  const broken = structuredClone(example);
  broken.spec.version = 'latest';
  broken.spec.services.gateway.replicas = -1;
  broken.spec.services.gateway.replica = 2;
  broken.spec.kafka.topics.push({ name: 'messenger.user.v1', partitions: 1 });
  delete broken.spec.external.postgresql.secretRef;
  broken.spec.auth.keyRotationPeriod = '30d';
  const errors = validateSchema(crdSchema, broken);
  for (const expected of [
    '/spec/version: must match',
    '/spec/services/gateway/replicas: below 0',
    '/spec/services/gateway/replica: unknown field',
    '/spec/kafka/topics: duplicate list-map keys name',
    '/spec/external/postgresql: missing required secretRef',
    '/spec/auth/keyRotationPeriod: must match',
  ]) {
    assert.ok(
      errors.some((e) => e.startsWith(expected)),
      `${expected} in ${errors.join('; ')}`,
    );
  }
});

test('summary: scenarios rendered and objects validated', (t) => {
  assert.equal(totals.scenarios, all.length, 'every scenario validated');
  const line = `${totals.scenarios} scenarios rendered (${all.map((s) => s.name).join(', ')}); ${totals.objects} objects validated: ${totals.byModels} against kubernetes-models (runtime schema + strict fields), ${totals.byShape} ServiceMonitor/PrometheusRule against their minimal shapes; plus the CRD and the example MessengerPlatform`;
  t.diagnostic(line);
  console.log(line);
});
