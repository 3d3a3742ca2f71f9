// Generated files match their one source (CRD, dashboards, rules, README values table,
// k8s/rendered); the Dockerfiles and skaffold.yaml agree with the services.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
// @ts-expect-error -- plain ESM script without type declarations
import { differences, maskGeneratedSecrets, plan } from '../../../scripts/helm/generate.mjs';
import { parseObjects, root } from './lib/render.ts';

const SERVICES: Record<string, number> = {
  gateway: 8080,
  auth: 8081,
  session: 8082,
  profile: 8083,
  contact: 8084,
  messaging: 8085,
  operator: 8090,
};
/** Services the six older Dockerfiles do not list yet: only their own Dockerfile copies their manifest. */
const NOT_IN_TEMPLATE = new Set(['operator']);
/** The images skaffold builds and the chart deploys (the operator has no chart section yet). */
const DEPLOYED = Object.keys(SERVICES).filter((name) => name !== 'operator');

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
    for (const value of Object.values(secret.data) as string[]) {
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

test('the Dockerfiles are one template: multi-stage, production deps, non-root, node as PID 1', () => {
  const template = readFileSync(join(root, 'services', 'gateway', 'Dockerfile'), 'utf8');
  for (const [name, port] of Object.entries(SERVICES)) {
    const text = readFileSync(join(root, 'services', name, 'Dockerfile'), 'utf8');
    // The manifests COPY lines name every service; every other line names only its own.
    const expected = template
      .split('\n')
      .flatMap((line) => {
        if (!line.startsWith('COPY')) {
          return [line.replaceAll('gateway', name).replaceAll('8080', String(port))];
        }
        // A service the template does not list yet copies its own manifest after messaging's.
        return NOT_IN_TEMPLATE.has(name) && line.includes('services/messaging/package.json')
          ? [line, line.replaceAll('messaging', name)]
          : [line];
      })
      .join('\n');
    assert.equal(text, expected, name);
  }
  assert.equal(template.match(/^FROM /gm)?.length, 3);
  assert.match(template, /npm ci --omit=dev --workspace=@messenger\/\$\{SERVICE\}/);
  assert.match(template, /^USER 1000:1000$/m);
  assert.match(
    template,
    /^CMD \["node", "--enable-source-maps", "services\/gateway\/dist\/main.js"\]$/m,
  );
  const services = readdirSync(join(root, 'services')).sort();
  assert.deepEqual(services, Object.keys(SERVICES).sort(), 'a Dockerfile for every service folder');
});

test('.dockerignore keeps build output and dependencies out of the context', () => {
  const lines = readFileSync(join(root, '.dockerignore'), 'utf8').split('\n');
  for (const entry of ['**/node_modules', '**/dist', '.git'])
    assert.ok(lines.includes(entry), entry);
});

test('skaffold.yaml: one artifact per service, the chart deployed with them, a dev profile', () => {
  const skaffold = parse(readFileSync(join(root, 'skaffold.yaml'), 'utf8'));
  const artifacts = skaffold.build.artifacts.map((a: any) => [
    a.image,
    a.context,
    a.docker.dockerfile,
  ]);
  assert.deepEqual(
    artifacts,
    DEPLOYED.map((name) => [name, '.', `services/${name}/Dockerfile`]),
  );
  const release = skaffold.deploy.helm.releases[0];
  assert.equal(release.chartPath, 'charts/messenger');
  for (const name of DEPLOYED) {
    assert.equal(
      release.setValueTemplates[`services.${name}.image`],
      `{{.IMAGE_FULLY_QUALIFIED_${name}}}`,
    );
  }
  assert.ok(skaffold.profiles.some((p: any) => p.name === 'dev'));
});
