// The values platform teams expect: scheduling, labels, extra env/volumes/containers,
// ServiceAccounts (annotated or brought), Service type, probe timings, extra objects, and the
// scheduling of the bundled servers; the result is still valid Kubernetes.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { typeCheck, validateModel } from './lib/kube.ts';
import { id, parseObjects, runHelm, scenarios, templateArgs } from './lib/render.ts';

const file = join(mkdtempSync(join(tmpdir(), 'messenger-extras-')), 'values.yaml');
writeFileSync(
  file,
  `
commonLabels: { team: chat }
services:
  gateway:
    affinity:
      nodeAffinity:
        requiredDuringSchedulingIgnoredDuringExecution:
          nodeSelectorTerms:
            - matchExpressions: [{ key: pool, operator: In, values: [edge] }]
    priorityClassName: high
    podLabels: { tier: edge }
    extraEnv:
      - name: FEATURE_FLAGS
        valueFrom: { configMapKeyRef: { name: flags, key: gateway } }
    envFrom: [{ configMapRef: { name: shared-settings } }]
    extraVolumes: [{ name: certs, configMap: { name: ca-bundle } }]
    extraVolumeMounts: [{ name: certs, mountPath: /etc/ssl/extra, readOnly: true }]
    sidecars:
      - name: proxy
        image: example.com/proxy:1
        resources: { requests: { cpu: 10m, memory: 16Mi }, limits: { memory: 32Mi } }
    initContainers:
      - name: wait
        image: example.com/wait:1
        resources: { requests: { cpu: 10m, memory: 16Mi }, limits: { memory: 32Mi } }
    serviceAccount:
      annotations: { iam.gke.io/gcp-service-account: chat@project.iam.gserviceaccount.com }
    service:
      type: LoadBalancer
      annotations: { service.beta.kubernetes.io/aws-load-balancer-internal: 'true' }
    probes:
      readiness: { periodSeconds: 15, failureThreshold: 4 }
  auth:
    serviceAccount: { create: false, name: platform-auth }
redis:
  nodeSelector: { pool: data }
  tolerations: [{ key: data, operator: Exists, effect: NoSchedule }]
  affinity:
    podAntiAffinity:
      preferredDuringSchedulingIgnoredDuringExecution:
        - weight: 1
          podAffinityTerm:
            topologyKey: kubernetes.io/hostname
            labelSelector: { matchLabels: { app.kubernetes.io/component: redis } }
  priorityClassName: data-critical
extraObjects:
  - apiVersion: v1
    kind: ConfigMap
    metadata: { name: '{{ .Release.Name }}-extra' }
    data: { release: '{{ .Release.Name }}' }
  - |
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: {{ .Release.Name }}-extra-text
`,
);

const objects = parseObjects(runHelm(templateArgs(scenarios()[0]!, ['-f', file])));
const find = (kind: string, name: string) =>
  objects.find((o) => o.kind === kind && o.metadata.name === name) as any;

test('service values: scheduling, labels, env, volumes, containers, probes', () => {
  const pod = find('Deployment', 'chat-gateway').spec.template;
  assert.equal(pod.metadata.labels.tier, 'edge');
  assert.equal(pod.metadata.labels.team, 'chat');
  assert.equal(pod.spec.priorityClassName, 'high');
  assert.ok(pod.spec.affinity.nodeAffinity);
  assert.ok(pod.spec.topologySpreadConstraints, 'topology spread stays');
  const c = pod.spec.containers[0];
  assert.ok(c.env.some((e: any) => e.name === 'FEATURE_FLAGS'));
  assert.ok(c.envFrom.some((e: any) => e.configMapRef?.name === 'shared-settings'));
  assert.ok(c.volumeMounts.some((m: any) => m.name === 'certs'));
  assert.ok(pod.spec.volumes.some((v: any) => v.name === 'certs'));
  assert.deepEqual(
    pod.spec.containers.map((x: any) => x.name),
    ['gateway', 'proxy'],
  );
  assert.deepEqual(
    pod.spec.initContainers.map((x: any) => x.name),
    ['wait'],
  );
  assert.equal(c.readinessProbe.periodSeconds, 15);
  assert.equal(c.readinessProbe.failureThreshold, 4);
  assert.equal(c.readinessProbe.httpGet.path, '/readyz');
  assert.equal(c.livenessProbe.periodSeconds, 10, 'other probes keep their defaults');
  const auth = find('Deployment', 'chat-auth').spec.template.spec;
  assert.deepEqual(
    auth.initContainers.map((x: any) => x.name),
    ['migrate'],
  );
});

test('ServiceAccounts: annotated, or brought by the team (not rendered)', () => {
  const sa = find('ServiceAccount', 'chat-gateway');
  assert.equal(
    sa.metadata.annotations['iam.gke.io/gcp-service-account'],
    'chat@project.iam.gserviceaccount.com',
  );
  assert.equal(find('ServiceAccount', 'chat-auth'), undefined);
  assert.equal(
    find('Deployment', 'chat-auth').spec.template.spec.serviceAccountName,
    'platform-auth',
  );
});

test('Service type and annotations; commonLabels on every object', () => {
  const service = find('Service', 'chat-gateway');
  assert.equal(service.spec.type, 'LoadBalancer');
  assert.equal(
    service.metadata.annotations['service.beta.kubernetes.io/aws-load-balancer-internal'],
    'true',
  );
  const chartObjects = objects.filter((o) => o.kind !== 'CustomResourceDefinition');
  for (const o of chartObjects.filter((o) => !o.metadata.name.startsWith('chat-extra')))
    assert.equal(o.metadata.labels?.team, 'chat', id(o));
});

test('bundled servers: nodeSelector, tolerations, affinity, priorityClassName', () => {
  const spec = find('StatefulSet', 'chat-redis').spec.template.spec;
  assert.deepEqual(spec.nodeSelector, { pool: 'data' });
  assert.equal(spec.tolerations[0].key, 'data');
  assert.ok(spec.affinity.podAntiAffinity);
  assert.equal(spec.priorityClassName, 'data-critical');
});

test('extraObjects render through tpl, as maps or strings', () => {
  assert.equal(find('ConfigMap', 'chat-extra').data.release, 'chat');
  assert.ok(find('ConfigMap', 'chat-extra-text'));
});

test('with every extra set the objects are still valid Kubernetes', () => {
  const problems = objects.flatMap((o) => {
    const error = validateModel(o);
    return error ? [`${id(o)}: ${error}`] : [];
  });
  assert.deepEqual(problems, []);
  assert.deepEqual(typeCheck(objects), []);
});

test('bringing a ServiceAccount without a name is refused', () => {
  assert.throws(
    () =>
      runHelm(
        templateArgs(scenarios()[0]!, ['--set', 'services.session.serviceAccount.create=false']),
      ),
    /services.session.serviceAccount.name is required/,
  );
});

test('helm test is read-only: GETs of health, readiness, the contract and the docs', () => {
  const pod = objects.find((o) => o.metadata.annotations?.['helm.sh/hook'] === 'test') as any;
  assert.equal(pod.metadata.name, 'chat-test-contract');
  const script = pod.spec.containers[0].command.join('\n') as string;
  for (const path of ['/healthz', '/readyz', '/api/v1/openapi.json', '/docs'])
    assert.ok(script.includes(`get('${path}')`), path);
  assert.doesNotMatch(script, /POST|PUT|PATCH|DELETE|register/);
});
