// Generated files match their one source (CRD, dashboards, rules, README values table,
// k8s/rendered, the services list's copies); one Dockerfile builds every service; no port of a
// service is written outside the services list.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { serviceNames } from '@messenger/contracts/services';
// @ts-expect-error -- plain ESM script without type declarations
import { differences, maskGeneratedSecrets, plan } from '../../../scripts/helm/generate.mjs';
import { parseObjects, root } from './lib/render.ts';

test('generated files are current (run node scripts/helm/generate.mjs)', () => {
  assert.deepEqual(differences(plan()), []);
});

test('the chart CRD is the copy of k8s/crds', () => {
  const name = 'messengerplatforms.platform.messenger.dev.yaml';
  assert.equal(
    readFileSync(join(root, 'charts', 'messenger', 'crds', name), 'utf8'),
    readFileSync(join(root, 'k8s', 'crds', name), 'utf8'),
  );
});

test('k8s/rendered is a default install without generated passwords', () => {
  const text = readFileSync(join(root, 'k8s', 'rendered', 'messenger.yaml'), 'utf8');
  const objects = parseObjects(text);
  assert.ok(
    objects.some((o) => o.kind === 'Deployment' && o.metadata.name === 'messenger-gateway'),
  );
  assert.ok(
    !objects.some((o) => o.metadata.annotations?.['helm.sh/hook']),
    'no hooks (helm test pod)',
  );
  const secrets = objects.filter((o) => o.kind === 'Secret') as any[];
  assert.deepEqual(secrets.map((s) => s.metadata.name).sort(), [
    'messenger-kafka-auth',
    'messenger-mongodb-auth',
    'messenger-postgresql-auth',
    'messenger-redis-auth',
  ]);
  for (const secret of secrets) {
    for (const value of Object.values<string>(secret.data)) {
      assert.match(Buffer.from(value, 'base64').toString(), /CHANGE-ME-[A-Z_]+_(PASSWORD|KEYFILE)/);
    }
  }
});

test('maskGeneratedSecrets replaces each password wherever it appears', () => {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const input = `kind: Secret\nmetadata:\n  name: s\n  annotations: { messenger.dev/generated: "true" }\ndata:\n  AUTH_PASSWORD: ${b64('s3cr3t')}\n  AUTH_DATABASE_URL: ${b64('postgres://auth:s3cr3t@h/auth')}\n`;
  const out = parseObjects(maskGeneratedSecrets(input))[0] as any;
  assert.equal(
    Buffer.from(out.data.AUTH_DATABASE_URL, 'base64').toString(),
    'postgres://auth:CHANGE-ME-AUTH_PASSWORD@h/auth',
  );
});

test('the README values table lists every key of values.yaml', () => {
  const readme = readFileSync(join(root, 'charts', 'messenger', 'README.md'), 'utf8');
  const values = parse(readFileSync(join(root, 'charts', 'messenger', 'values.yaml'), 'utf8'));
  for (const key of Object.keys(values)) assert.match(readme, new RegExp(`\\| \`${key}[.\`]`), key);
  for (const key of Object.keys(values.services.gateway))
    assert.ok(readme.includes(`services.<name>.${key}`), key);
});

test('one Dockerfile builds every service: multi-stage, production deps, non-root, node as PID 1', () => {
  const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
  assert.equal(dockerfile.match(/^FROM /gm)?.length, 4);
  assert.match(dockerfile, /^ARG SERVICE$/m);
  assert.match(dockerfile, /npm ci --omit=dev --workspace="@messenger\/\$\{SERVICE\}"/);
  assert.match(dockerfile, /^USER 1000:1000$/m);
  assert.match(
    dockerfile,
    /^CMD \["\/bin\/sh", "-c", "exec node --enable-source-maps \\"services\/\$\{SERVICE\}\/dist\/main.js\\""\]$/m,
  );
  assert.doesNotMatch(
    dockerfile,
    /services\/(gateway|auth|session|profile|contact|messaging|operator)\b/,
  );
  const folders = readdirSync(join(root, 'services')).sort();
  assert.deepEqual(folders, [...serviceNames].sort(), 'the services list names every folder');
  for (const name of folders) {
    assert.ok(
      !existsSync(join(root, 'services', name, 'Dockerfile')),
      `services/${name}/Dockerfile`,
    );
  }
});

test('.dockerignore keeps build output, dependencies and test code out of the context', () => {
  const lines = readFileSync(join(root, '.dockerignore'), 'utf8').split('\n');
  for (const entry of ['**/node_modules', '**/dist', '.git', '**/*.test.ts', 'packages/testkit'])
    assert.ok(lines.includes(entry), entry);
});

test('skaffold.yaml: one artifact per service from the one Dockerfile, the chart deployed with them, a dev profile', () => {
  const skaffold = parse(readFileSync(join(root, 'skaffold.yaml'), 'utf8'));
  const artifacts = skaffold.build.artifacts.map((a: any) => [
    a.image,
    a.context,
    a.docker.dockerfile,
    a.docker.buildArgs.SERVICE,
  ]);
  assert.deepEqual(
    artifacts,
    serviceNames.map((name) => [name, '.', 'Dockerfile', name]),
  );
  const release = skaffold.deploy.helm.releases[0];
  assert.equal(release.chartPath, 'charts/messenger');
  const values = parse(readFileSync(join(root, 'charts', 'messenger', 'values.yaml'), 'utf8'));
  for (const name of serviceNames) {
    const key = name in values.services ? `services.${name}.image` : `${name}.image`;
    assert.equal(release.setValueTemplates[key], `{{.IMAGE_FULLY_QUALIFIED_${name}}}`, name);
  }
  assert.ok(skaffold.profiles.some((p: any) => p.name === 'dev'));
});
