// Gateway API: the HTTPRoute option routes what the Ingress routes, to the gateway's Service, and
// fits the real HTTPRoute CRD (sigs.k8s.io/gateway-api, scripts/k8s/gateway-api-crds.sh; its CEL
// rules are left to the API server, which the operator kind's chart test installs it into).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { services } from '@messenger/contracts/services';
import { validateSchema, type Schema } from './lib/schema.ts';
import { parseObjects, RELEASE, root, runHelm, scenarios, templateArgs } from './lib/render.ts';

const withRoute = (...extra: string[]) =>
  parseObjects(
    runHelm(
      templateArgs(scenarios()[0]!, [
        '--set',
        'httpRoute.enabled=true',
        '--set',
        'httpRoute.parentRefs[0].name=public',
        '--set',
        'httpRoute.parentRefs[0].namespace=gateway-system',
        ...extra,
      ]),
    ),
  );
const routeOf = (objects: ReturnType<typeof parseObjects>) =>
  objects.find((o) => o.kind === 'HTTPRoute') as any;

/** The CRD's schema without its CEL rules (x-kubernetes-validations), which only an API server runs. */
function withoutCel(schema: unknown): Schema {
  if (Array.isArray(schema)) return schema.map(withoutCel);
  if (typeof schema !== 'object' || schema === null) return schema as Schema;
  return Object.fromEntries(
    Object.entries(schema as Schema)
      .filter(([key]) => key !== 'x-kubernetes-validations')
      .map(([key, value]) => [key, withoutCel(value)]),
  );
}

test('off by default', () => {
  assert.equal(routeOf(parseObjects(runHelm(templateArgs(scenarios()[0]!)))), undefined);
});

test('the paths of the Ingress, to the gateway Service, on ingress.host, /ws with its timeout', () => {
  const objects = withRoute();
  const route = routeOf(objects);
  const ingressPaths = objects
    .filter((o) => o.kind === 'Ingress')
    .flatMap((o: any) => o.spec.rules.flatMap((r: any) => r.http.paths.map((p: any) => p.path)))
    .sort();
  const routePaths = route.spec.rules
    .flatMap((r: any) => r.matches.map((m: any) => m.path.value))
    .sort();
  assert.deepEqual(routePaths, ingressPaths);
  assert.deepEqual(routePaths, ['/api', '/docs', '/healthz', '/ws']);
  const gateway = objects.find(
    (o) => o.kind === 'Service' && o.metadata.name === `${RELEASE}-gateway`,
  ) as any;
  for (const rule of route.spec.rules) {
    assert.deepEqual(rule.backendRefs, [
      { name: gateway.metadata.name, port: services.gateway.port },
    ]);
  }
  assert.equal(gateway.spec.ports[0].port, services.gateway.port);
  assert.deepEqual(route.spec.hostnames, ['messenger.example.com']);
  assert.deepEqual(route.spec.parentRefs, [{ name: 'public', namespace: 'gateway-system' }]);
  const ws = route.spec.rules.find((r: any) => r.matches[0].path.value === '/ws');
  assert.deepEqual(ws.timeouts, { request: '1h' });
  const api = route.spec.rules.find((r: any) => r.matches[0].path.value === '/api');
  assert.equal(api.timeouts, undefined);
});

test('hostnames and the /ws timeout from values; instead of the Ingress', () => {
  const route = routeOf(
    withRoute(
      '--set',
      'httpRoute.hostnames[0]=chat.example.org',
      '--set',
      'httpRoute.websocketTimeout=',
      '--set',
      'ingress.enabled=false',
    ),
  );
  assert.deepEqual(route.spec.hostnames, ['chat.example.org']);
  assert.ok(route.spec.rules.every((rule: any) => rule.timeouts === undefined));
});

test('enabled without a Gateway to attach to: helm says so', () => {
  assert.throws(
    () => runHelm(templateArgs(scenarios()[0]!, ['--set', 'httpRoute.enabled=true'])),
    /httpRoute\.parentRefs: name the Gateway/,
  );
  assert.throws(
    () =>
      runHelm(
        templateArgs(scenarios()[0]!, [
          '--set',
          'httpRoute.enabled=true',
          '--set',
          'httpRoute.parentRefs[0].name=public',
          '--set',
          'httpRoute.websocketTimeout=one hour',
        ]),
      ),
    /websocketTimeout/,
  );
});

test('the HTTPRoute fits the Gateway API CRD (standard channel, v1)', () => {
  const file = execFileSync(join(root, 'scripts/k8s/gateway-api-crds.sh'), ['httproute'], {
    encoding: 'utf8',
  }).trim();
  const crd = parse(readFileSync(file, 'utf8'));
  const v1 = crd.spec.versions.find((v: any) => v.name === 'v1');
  assert.ok(v1?.served, 'v1 is served');
  const schema = withoutCel(v1.schema.openAPIV3Schema);
  const route = routeOf(withRoute('--set', 'httpRoute.hostnames[0]=chat.example.org'));
  assert.deepEqual(validateSchema(schema, route), []);
  // and the check can fail: a path type the CRD does not know
  const broken = structuredClone(route);
  broken.spec.rules[0].matches[0].path.type = 'Glob';
  assert.notDeepEqual(validateSchema(schema, broken), []);
});
