// Policy checks over the rendered objects of every scenario: restricted pod security and a
// read-only root, probes and resources, default deny, no plain secrets, Services that select
// pods, references that resolve, drains that fit the grace period, PDBs and the HPA.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  chart,
  fixtureScenario,
  id,
  matches,
  podTemplates,
  RELEASE,
  render,
  scenarios,
  values,
  type K8sObject,
  type PodTemplate,
} from './lib/render.ts';

const SERVICES = ['gateway', 'auth', 'session', 'profile', 'contact', 'messaging'];
const RESTRICTED_VOLUMES = [
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
];

function containersOf(pod: PodTemplate): any[] {
  return [...(pod.spec.initContainers ?? []), ...(pod.spec.containers ?? [])];
}

/** Problems of one pod under the restricted Pod Security Standard plus a read-only root. */
function podSecurityProblems(pod: PodTemplate): string[] {
  const where = id(pod.owner);
  const problems: string[] = [];
  const spec = pod.spec;
  const podSc = spec.securityContext ?? {};
  for (const flag of ['hostNetwork', 'hostPID', 'hostIPC'])
    if (spec[flag]) problems.push(`${where}: ${flag}`);
  for (const volume of spec.volumes ?? []) {
    const type = Object.keys(volume).find((key) => key !== 'name')!;
    if (!RESTRICTED_VOLUMES.includes(type))
      problems.push(`${where}: volume ${volume.name} is ${type}`);
  }
  if (podSc.runAsUser === 0) problems.push(`${where}: pod runAsUser 0`);
  // The operator is the one pod that talks to the Kubernetes API, with its own ServiceAccount.
  const apiClient = pod.labels['app.kubernetes.io/component'] === 'operator';
  if (apiClient && !spec.serviceAccountName?.endsWith('-operator'))
    problems.push(`${where}: the operator without its own ServiceAccount`);
  if (!apiClient && spec.automountServiceAccountToken !== false)
    problems.push(`${where}: service account token mounted`);
  for (const c of containersOf(pod)) {
    const sc = c.securityContext ?? {};
    const at = `${where}/${c.name}`;
    if (sc.privileged) problems.push(`${at}: privileged`);
    if (sc.allowPrivilegeEscalation !== false)
      problems.push(`${at}: allowPrivilegeEscalation not false`);
    if (!(sc.capabilities?.drop ?? []).includes('ALL'))
      problems.push(`${at}: capabilities not dropped`);
    if ((sc.capabilities?.add ?? []).some((cap: string) => cap !== 'NET_BIND_SERVICE'))
      problems.push(`${at}: capabilities added`);
    if ((sc.runAsNonRoot ?? podSc.runAsNonRoot) !== true)
      problems.push(`${at}: runAsNonRoot not true`);
    if ((sc.runAsUser ?? podSc.runAsUser) === 0) problems.push(`${at}: runs as root`);
    const seccomp = sc.seccompProfile?.type ?? podSc.seccompProfile?.type;
    if (!['RuntimeDefault', 'Localhost'].includes(seccomp))
      problems.push(`${at}: seccomp ${seccomp}`);
    if (sc.readOnlyRootFilesystem !== true) problems.push(`${at}: root filesystem writable`);
    for (const port of c.ports ?? []) if (port.hostPort) problems.push(`${at}: hostPort`);
    const tmp = (c.volumeMounts ?? []).find((m: any) => m.mountPath === '/tmp');
    const tmpVolume = (spec.volumes ?? []).find((v: any) => v.name === tmp?.name);
    if (!tmpVolume?.emptyDir) problems.push(`${at}: no emptyDir at /tmp`);
  }
  return problems;
}

function resourceProblems(pod: PodTemplate): string[] {
  return containersOf(pod).flatMap((c) => {
    const r = c.resources ?? {};
    const at = `${id(pod.owner)}/${c.name}`;
    const out: string[] = [];
    if (!r.requests?.cpu || !r.requests?.memory) out.push(`${at}: no cpu/memory requests`);
    if (!r.limits?.memory) out.push(`${at}: no memory limit`);
    return out;
  });
}

function probeProblems(pod: PodTemplate): string[] {
  if (!pod.longRunning) return [];
  return (pod.spec.containers ?? []).flatMap((c: any) =>
    ['livenessProbe', 'readinessProbe']
      .filter((p) => !c[p])
      .map((p) => `${id(pod.owner)}/${c.name}: no ${p}`),
  );
}

const SECRET_NAME = /PASSWORD|SECRET|TOKEN|KEY/i;
function plainSecretProblems(objects: K8sObject[], pod: PodTemplate): string[] {
  const problems: string[] = [];
  const check = (name: string, value: unknown, at: string) => {
    if (value === undefined) return;
    if (SECRET_NAME.test(name)) problems.push(`${at}: ${name} has a plain value`);
    if (
      /_URLS?$/.test(name) &&
      (typeof value === 'string' ? value : JSON.stringify(value)).includes('@')
    )
      problems.push(`${at}: ${name} has credentials`);
  };
  for (const c of containersOf(pod)) {
    const at = `${id(pod.owner)}/${c.name}`;
    for (const env of c.env ?? []) check(env.name, env.value, at);
    for (const from of c.envFrom ?? []) {
      const cm = objects.find(
        (o) => o.kind === 'ConfigMap' && o.metadata.name === from.configMapRef?.name,
      ) as any;
      for (const [name, value] of Object.entries(cm?.data ?? {}))
        check(name, value, `${at} (ConfigMap ${cm.metadata.name})`);
    }
  }
  return problems;
}

/** Names the scenario's values declare as existing outside the chart. */
function externalNames(scenario: Parameters<typeof values>[0]): Set<string> {
  const v = values(scenario) as any;
  const names = new Set<string>(v.image.pullSecrets ?? []);
  const walk = (node: unknown, key = '') => {
    if (typeof node === 'string' && key === 'existingSecret' && node) names.add(node);
    else if (node && typeof node === 'object')
      for (const [k, child] of Object.entries(node)) walk(child, k);
  };
  walk(v);
  for (const svc of Object.values<any>(v.services))
    for (const ref of Object.values<any>(svc.secretEnv ?? {})) names.add(ref.name);
  if (v.ingress.enabled && v.ingress.tls.enabled)
    names.add(v.ingress.tls.secretName || `${RELEASE}-tls`);
  return names;
}

/** Every ConfigMap/Secret reference (kind, name, key?) of pods and Ingresses. */
function references(
  objects: K8sObject[],
): { kind: string; name: string; key?: string; from: string }[] {
  const refs: { kind: string; name: string; key?: string; from: string }[] = [];
  for (const pod of podTemplates(objects)) {
    const from = id(pod.owner);
    for (const s of pod.spec.imagePullSecrets ?? [])
      refs.push({ kind: 'Secret', name: s.name, from });
    for (const v of pod.spec.volumes ?? []) {
      if (v.configMap) refs.push({ kind: 'ConfigMap', name: v.configMap.name, from });
      if (v.secret) refs.push({ kind: 'Secret', name: v.secret.secretName, from });
    }
    for (const c of containersOf(pod)) {
      for (const e of c.envFrom ?? []) {
        if (e.configMapRef) refs.push({ kind: 'ConfigMap', name: e.configMapRef.name, from });
        if (e.secretRef) refs.push({ kind: 'Secret', name: e.secretRef.name, from });
      }
      for (const e of c.env ?? []) {
        const cm = e.valueFrom?.configMapKeyRef;
        const s = e.valueFrom?.secretKeyRef;
        if (cm) refs.push({ kind: 'ConfigMap', name: cm.name, key: cm.key, from });
        if (s) refs.push({ kind: 'Secret', name: s.name, key: s.key, from });
      }
    }
  }
  for (const ingress of objects.filter((o) => o.kind === 'Ingress') as any[]) {
    for (const tls of ingress.spec.tls ?? [])
      refs.push({ kind: 'Secret', name: tls.secretName, from: id(ingress) });
  }
  return refs;
}

function envOf(container: any): Record<string, any> {
  return Object.fromEntries((container.env ?? []).map((e: any) => [e.name, e]));
}

function fromSecret(env: any): boolean {
  return Boolean(env?.valueFrom?.secretKeyRef?.name && env.valueFrom.secretKeyRef.key);
}

/** Every bundled store requires credentials, and its clients read theirs from Secrets. */
export function storeAuthProblems(objects: K8sObject[]): string[] {
  const problems: string[] = [];
  const sts = (store: string) =>
    objects.find(
      (o) => o.kind === 'StatefulSet' && o.metadata.name === `${RELEASE}-${store}`,
    ) as any;
  const configMap = (name: string) =>
    (objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === `${RELEASE}-${name}`) as any)
      ?.data ?? {};
  const service = (name: string) =>
    (
      objects.find(
        (o) => o.kind === 'Deployment' && o.metadata.name === `${RELEASE}-${name}`,
      ) as any
    ).spec.template.spec.containers[0];
  const redis = sts('redis');
  if (redis) {
    const c = redis.spec.template.spec.containers[0];
    if (!fromSecret(envOf(c).REDIS_PASSWORD))
      problems.push('redis: no REDIS_PASSWORD from a Secret');
    if (!c.args.join(' ').includes('requirepass')) problems.push('redis: no requirepass');
    for (const name of SERVICES) {
      if (!fromSecret(envOf(service(name)).REDIS_URL))
        problems.push(`${name}: REDIS_URL not from a Secret`);
      if ('REDIS_URL' in configMap(name)) problems.push(`${name}: REDIS_URL in its ConfigMap`);
    }
  }
  const mongo = sts('mongodb');
  if (mongo) {
    const pod = mongo.spec.template.spec;
    const run = configMap('mongodb')['run.sh'] as string;
    if (!/--auth --keyFile/.test(run)) problems.push('mongodb: no --auth --keyFile');
    if (
      !pod.volumes.some((vol: any) =>
        vol.secret?.items?.some((i: any) => i.key === 'MONGODB_KEYFILE'),
      )
    )
      problems.push('mongodb: no keyfile volume');
    const env = envOf(pod.containers[0]);
    for (const key of ['MONGODB_ROOT_PASSWORD', 'MONGODB_MESSAGING_PASSWORD'])
      if (!fromSecret(env[key])) problems.push(`mongodb: ${key} not from a Secret`);
    const initiate = configMap('mongodb')['initiate.js'] as string;
    if (!/roles = \[\{ role: 'readWrite', db: env.MONGODB_DATABASE \}\]/.test(initiate))
      problems.push('mongodb: messaging user is not readWrite on its database only');
    if (!fromSecret(envOf(service('messaging')).MONGO_URL))
      problems.push('messaging: MONGO_URL not from a Secret');
    if ('MONGO_URL' in configMap('messaging'))
      problems.push('messaging: MONGO_URL in its ConfigMap');
  }
  const kafka = sts('kafka');
  if (kafka) {
    const env = envOf(kafka.spec.template.spec.containers[0]);
    if (!fromSecret(env.KAFKA_INTER_BROKER_PASSWORD))
      problems.push('kafka: no inter-broker password');
    const run = configMap('kafka')['run.sh'] as string;
    if (!run.includes('CLIENT:SASL_PLAINTEXT,INTERNAL:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT'))
      problems.push('kafka: a listener without SASL');
    for (const name of SERVICES.filter((n) => n !== 'gateway')) {
      const cm = configMap(name);
      const e = envOf(service(name));
      if (cm.KAFKA_SASL_USERNAME !== name)
        problems.push(`${name}: KAFKA_SASL_USERNAME is not ${name}`);
      if (!/^scram-sha-(256|512)$/.test(cm.KAFKA_SASL_MECHANISM ?? ''))
        problems.push(`${name}: KAFKA_SASL_MECHANISM ${cm.KAFKA_SASL_MECHANISM}`);
      if (!fromSecret(e.KAFKA_SASL_PASSWORD))
        problems.push(`${name}: KAFKA_SASL_PASSWORD not from a Secret`);
      if (!fromSecret(env[`KAFKA_PASSWORD_${name.toUpperCase()}`]))
        problems.push(`kafka: no SCRAM user for ${name}`);
    }
  }
  for (const secret of objects.filter(
    (o) => o.kind === 'Secret' && o.metadata.annotations?.['messenger.dev/generated'] === 'true',
  ))
    if (secret.metadata.annotations?.['helm.sh/resource-policy'] !== 'keep')
      problems.push(`${id(secret)}: generated but not kept`);
  return problems;
}

for (const scenario of [...scenarios(), fixtureScenario()]) {
  const objects = render(scenario);
  const pods = podTemplates(objects);
  const v = values(scenario) as any;

  test(`${scenario.name}: restricted pod security and a read-only root on every pod`, () => {
    assert.ok(pods.length >= 6);
    assert.deepEqual(pods.flatMap(podSecurityProblems), []);
  });

  test(`${scenario.name}: resources on every container, probes on every long-running one`, () => {
    assert.deepEqual([...pods.flatMap(resourceProblems), ...pods.flatMap(probeProblems)], []);
  });

  test(`${scenario.name}: services probe /healthz and /readyz and outlive their drain`, () => {
    const drain = Number(v.preStopSleepSeconds) + Math.ceil(v.shutdownTimeoutMs / 1000);
    for (const name of SERVICES) {
      const pod = pods.find(
        (p) => p.owner.kind === 'Deployment' && p.labels['app.kubernetes.io/component'] === name,
      );
      assert.ok(pod, `Deployment of ${name}`);
      const c = pod.spec.containers[0];
      assert.equal(c.livenessProbe.httpGet.path, '/healthz');
      assert.equal(c.readinessProbe.httpGet.path, '/readyz');
      assert.ok(
        pod.spec.terminationGracePeriodSeconds > drain,
        `${name}: grace ${pod.spec.terminationGracePeriodSeconds} <= ${drain}`,
      );
    }
  });

  test(`${scenario.name}: Postgres services migrate in an init container before serving`, () => {
    for (const name of SERVICES) {
      const deployment = objects.find(
        (o) => o.kind === 'Deployment' && o.metadata.name === `${RELEASE}-${name}`,
      ) as any;
      const spec = deployment.spec.template.spec;
      const usesPostgres = ['auth', 'session', 'profile', 'contact'].includes(name);
      if (!usesPostgres || !v.migrations.enabled) {
        assert.equal(spec.initContainers, undefined, name);
        continue;
      }
      const [migrate] = spec.initContainers;
      assert.deepEqual(migrate.command, [
        'node',
        '--enable-source-maps',
        `services/${name}/dist/migrate.js`,
      ]);
      assert.equal(
        migrate.image,
        spec.containers[0].image,
        `${name}: migrations of the image that starts`,
      );
      assert.ok(
        migrate.env.some((e: any) => e.name === 'DATABASE_URL' && e.valueFrom?.secretKeyRef),
        name,
      );
    }
  });

  test(`${scenario.name}: a default-deny NetworkPolicy covers every pod`, () => {
    const deny = objects.find(
      (o: any) =>
        o.kind === 'NetworkPolicy' &&
        o.spec.policyTypes?.includes('Ingress') &&
        o.spec.policyTypes?.includes('Egress') &&
        !o.spec.ingress?.length &&
        !o.spec.egress?.length,
    ) as any;
    assert.ok(deny, 'default-deny policy');
    for (const pod of pods)
      assert.ok(
        matches(deny.spec.podSelector.matchLabels, pod.labels),
        `${id(pod.owner)} not covered`,
      );
  });

  test(`${scenario.name}: no plain secret values in env`, () => {
    assert.deepEqual(
      pods.flatMap((pod) => plainSecretProblems(objects, pod)),
      [],
    );
  });

  test(`${scenario.name}: every Service selects a pod template`, () => {
    for (const service of objects.filter((o) => o.kind === 'Service') as any[]) {
      assert.ok(
        service.spec.selector && Object.keys(service.spec.selector).length > 0,
        `${id(service)} has no selector`,
      );
      assert.ok(
        pods.some((pod) => matches(service.spec.selector, pod.labels) && pod.longRunning),
        `${id(service)} selects no pod`,
      );
    }
  });

  test(`${scenario.name}: every referenced ConfigMap/Secret is rendered or declared external`, () => {
    const external = externalNames(scenario);
    const problems: string[] = [];
    for (const ref of references(objects)) {
      const target = objects.find(
        (o) => o.kind === ref.kind && o.metadata.name === ref.name,
      ) as any;
      if (!target) {
        if (!external.has(ref.name))
          problems.push(`${ref.from}: ${ref.kind} ${ref.name} is neither rendered nor external`);
      } else if (ref.key && !(ref.key in (target.data ?? {}))) {
        problems.push(`${ref.from}: ${ref.kind} ${ref.name} has no key ${ref.key}`);
      }
    }
    assert.deepEqual(problems, []);
  });

  test(`${scenario.name}: ServiceAccounts exist and mount no token`, () => {
    for (const pod of pods) {
      const sa = objects.find(
        (o) => o.kind === 'ServiceAccount' && o.metadata.name === pod.spec.serviceAccountName,
      ) as any;
      assert.ok(sa, `${id(pod.owner)}: ServiceAccount ${pod.spec.serviceAccountName}`);
      assert.equal(sa.automountServiceAccountToken, false);
    }
  });

  test(`${scenario.name}: PDBs where more than one pod runs (always messaging), HPAs as configured`, () => {
    // messaging scaled by the operator on sockets: Helm renders neither its replicas nor an HPA
    const byOperator =
      v.operator.enabled &&
      v.operator.platform.spec?.services?.messaging?.autoscaling?.targetSocketsPerPod;
    for (const name of SERVICES) {
      const svc = v.services[name];
      const scaledByOperator = Boolean(byOperator) && name === 'messaging';
      const autoscaled = svc.autoscaling.enabled && !scaledByOperator;
      const pods = autoscaled ? svc.autoscaling.minReplicas : svc.replicas;
      const pdb = objects.find(
        (o: any) =>
          o.kind === 'PodDisruptionBudget' &&
          o.spec.selector.matchLabels['app.kubernetes.io/component'] === name,
      );
      assert.equal(Boolean(pdb), pods > 1 || name === 'messaging', `${name}: PDB`);
      const hpa = objects.find(
        (o: any) =>
          o.kind === 'HorizontalPodAutoscaler' &&
          o.spec.scaleTargetRef.name === `${RELEASE}-${name}`,
      );
      assert.equal(Boolean(hpa), autoscaled, `${name}: HPA`);
      const deployment = objects.find(
        (o) => o.kind === 'Deployment' && o.metadata.name === `${RELEASE}-${name}`,
      ) as any;
      assert.equal(
        deployment.spec.replicas,
        autoscaled || scaledByOperator ? undefined : svc.replicas,
      );
    }
  });

  test(`${scenario.name}: every StatefulSet with more than one pod has a PDB of one pod`, () => {
    const pdbs = objects.filter((o) => o.kind === 'PodDisruptionBudget') as any[];
    for (const sts of objects.filter((o) => o.kind === 'StatefulSet') as any[]) {
      const labels = sts.spec.template.metadata.labels;
      const mine = pdbs.filter((p) => matches(p.spec.selector.matchLabels, labels));
      if (sts.spec.replicas > 1) {
        assert.equal(mine.length, 1, `${id(sts)}: PDB`);
        assert.equal(mine[0].spec.maxUnavailable, 1, `${id(sts)}: maxUnavailable`);
      } else assert.equal(mine.length, 0, `${id(sts)}: no PDB for one pod`);
    }
  });

  test(`${scenario.name}: backing servers follow their switches`, () => {
    for (const store of ['postgresql', 'redis', 'kafka', 'mongodb']) {
      const sts = objects.find(
        (o) => o.kind === 'StatefulSet' && o.metadata.name === `${RELEASE}-${store}`,
      ) as any;
      assert.equal(Boolean(sts), v[store].enabled, `${store} StatefulSet`);
      if (sts) assert.ok(sts.spec.volumeClaimTemplates?.length, `${store} has persistent volumes`);
    }
    const kafka = objects.find(
      (o) => o.kind === 'StatefulSet' && o.metadata.name === `${RELEASE}-kafka`,
    ) as any;
    if (kafka) assert.equal(kafka.spec.replicas, v.kafka.replicas);
    const config = (name: string) =>
      (
        objects.find(
          (o) => o.kind === 'ConfigMap' && o.metadata.name === `${RELEASE}-${name}`,
        ) as any
      ).data;
    const brokers = config('auth').KAFKA_BROKERS.split(',');
    assert.equal(
      brokers.length,
      v.kafka.enabled ? v.kafka.replicas : v.kafka.external.brokers.length,
    );
    assert.equal('MONGO_URL' in config('messaging'), v.mongodb.enabled && !v.mongodb.auth.enabled);
    assert.equal('KAFKA_BROKERS' in config('gateway'), false);
  });

  test(`${scenario.name}: every bundled store authenticates its clients, credentials from Secrets`, () => {
    const problems = storeAuthProblems(objects);
    assert.deepEqual(problems, []);
  });

  if (v.ingress.enabled) {
    test(`${scenario.name}: Ingress routes /api, /docs, /healthz and /ws to the gateway over TLS, /ws with long timeouts`, () => {
      const paths = (objects.filter((o) => o.kind === 'Ingress') as any[]).flatMap((i) =>
        i.spec.rules[0].http.paths.map((p: any) => p.path),
      );
      assert.deepEqual(paths.sort(), ['/api', '/docs', '/healthz', '/ws']);
      const ingresses = objects.filter((o) => o.kind === 'Ingress') as any[];
      const route = (path: string) =>
        ingresses.find((i) => i.spec.rules[0].http.paths[0].path === path);
      for (const path of ['/api', '/ws']) {
        const ingress = route(path);
        assert.ok(ingress, path);
        assert.equal(
          ingress.spec.rules[0].http.paths[0].backend.service.name,
          `${RELEASE}-gateway`,
        );
        if (v.ingress.tls.enabled) assert.equal(ingress.spec.tls[0].hosts[0], v.ingress.host);
      }
      const ws = route('/ws').metadata.annotations;
      assert.ok(Number(ws['nginx.ingress.kubernetes.io/proxy-read-timeout']) >= 3600);
      assert.ok(Number(ws['nginx.ingress.kubernetes.io/proxy-send-timeout']) >= 3600);
    });
  } else {
    test(`${scenario.name}: no Ingress`, () => {
      assert.equal(objects.filter((o) => o.kind === 'Ingress').length, 0);
    });
  }
}

test('observability scenarios ship every dashboard and rule file of files/', () => {
  const shipped = readdirSync(join(chart, 'files', 'dashboards')).filter((f) =>
    f.endsWith('.json'),
  );
  const fixture = render(fixtureScenario());
  const dashboards = fixture.filter(
    (o) => o.kind === 'ConfigMap' && o.metadata.labels?.['grafana_dashboard'] === '1',
  ) as any[];
  const keys = dashboards.flatMap((d) => Object.keys(d.data)).sort();
  assert.deepEqual(keys, [...shipped, 'fixture_overview.json'].sort());
  const fixtureBoard = dashboards.find((d) => 'fixture_overview.json' in d.data);
  assert.match(fixtureBoard.data['fixture_overview.json'], /\{\{ not a template \}\}/);
  for (const d of dashboards) JSON.parse(Object.values(d.data)[0] as string);
  const rule = fixture.find((o) => o.kind === 'PrometheusRule') as any;
  const group = rule.spec.groups.find((g: any) => g.name === 'fixture');
  assert.equal(group.rules[0].annotations.summary, '{{ $labels.instance }} down');
  const plain = render(scenarios().find((s) => s.name === 'observability')!);
  assert.ok(plain.some((o) => o.kind === 'ServiceMonitor'));
  assert.equal(
    plain.filter((o) => o.metadata.labels?.['grafana_dashboard'] === '1').length,
    shipped.length,
  );
});
