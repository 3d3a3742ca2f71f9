// The chart against the real API server: `helm install` of the default values and of every
// ci/*-values.yaml into namespaces enforcing the restricted Pod Security level, asserting what the
// API server admitted (every pod of every workload created, no FailedCreate), an HTTPRoute with
// the Gateway API CRDs, `helm upgrade` between scenarios and one that changes volumeClaimTemplates
// (kept, with a warning, instead of a failed release), and `helm uninstall`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  AutoscalingV2Api,
  CustomObjectsApi,
  loadAllYaml,
  type KubernetesObject,
  type V1Deployment,
} from '@kubernetes/client-node';
import {
  apply,
  controlPlane,
  deleteNamespace,
  eventually,
  installCrd,
  uniqueName,
} from '@messenger/testkit/operator/control-plane';
import { repoRoot as root } from '@messenger/testkit/repo-root';
import { connectKube } from './kube.js';

const kube = connectKube(controlPlane());
const custom = kube.config.makeApiClient(CustomObjectsApi);
const autoscaling = kube.config.makeApiClient(AutoscalingV2Api);
const chart = join(root, 'charts/messenger');
const releases: { release: string; namespace: string }[] = [];

function helm(...args: string[]): { status: number; stdout: string; stderr: string } {
  const result = spawnSync(join(root, 'scripts/helm.sh'), args, {
    encoding: 'utf8',
    env: process.env,
  });
  return { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}

function helmOk(...args: string[]): string {
  const result = helm(...args);
  assert.equal(result.status, 0, `helm ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

async function restrictedNamespace(prefix: string): Promise<string> {
  const name = uniqueName(prefix);
  await kube.core.createNamespace({
    body: {
      metadata: {
        name,
        labels: {
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/enforce-version': 'latest',
        },
      },
    },
  });
  return name;
}

const selectorOf = (labels: Record<string, string> = {}) =>
  Object.entries(labels)
    .map(([key, value]) => `${key}=${value}`)
    .join(',');

/** Pods of the current ReplicaSet of a Deployment (a rollout without kubelet never finishes). */
async function currentPods(namespace: string, deployment: V1Deployment) {
  const revision = deployment.metadata?.annotations?.['deployment.kubernetes.io/revision'];
  const sets = await kube.apps.listNamespacedReplicaSet({
    namespace,
    labelSelector: selectorOf(deployment.spec?.selector.matchLabels),
  });
  const current = sets.items.find(
    (set) =>
      set.metadata?.ownerReferences?.some((owner) => owner.uid === deployment.metadata?.uid) &&
      set.metadata.annotations?.['deployment.kubernetes.io/revision'] === revision,
  );
  if (!current) return undefined;
  const hash = current.metadata?.labels?.['pod-template-hash'] ?? '';
  const pods = await kube.core.listNamespacedPod({
    namespace,
    labelSelector: `${selectorOf(deployment.spec?.selector.matchLabels)},pod-template-hash=${hash}`,
  });
  return { want: current.spec?.replicas ?? 0, pods: pods.items.length };
}

/**
 * Every Deployment (its current ReplicaSet; all of its replicas on a fresh install) and every
 * StatefulSet of the release got all its pods, and nothing was refused (FailedCreate).
 */
async function assertAdmitted(namespace: string, release: string, fresh = true): Promise<string[]> {
  const labelSelector = `app.kubernetes.io/instance=${release}`;
  const seen: string[] = [];
  const deployments = await kube.apps.listNamespacedDeployment({ namespace, labelSelector });
  for (const listed of deployments.items) {
    const name = listed.metadata?.name ?? '';
    const counted = await eventually(
      `the pods of Deployment ${name} in ${namespace}`,
      async () => {
        const deployment = await kube.apps.readNamespacedDeployment({ name, namespace });
        const current = await currentPods(namespace, deployment);
        const want = fresh ? (deployment.spec?.replicas ?? 1) : (current?.want ?? 0);
        return current && want >= 1 && current.want === want && current.pods === want
          ? current
          : undefined;
      },
      60_000,
    );
    seen.push(`${name}: ${counted.pods}`);
  }
  const statefulSets = await kube.apps.listNamespacedStatefulSet({ namespace, labelSelector });
  for (const set of statefulSets.items) {
    const name = set.metadata?.name ?? '';
    const want = set.spec?.replicas ?? 1;
    await eventually(
      `${want} pods of StatefulSet ${name} in ${namespace}`,
      async () => {
        const list = await kube.core.listNamespacedPod({
          namespace,
          labelSelector: selectorOf(set.spec?.selector.matchLabels),
        });
        return list.items.filter((pod) => !pod.metadata?.deletionTimestamp).length === want;
      },
      60_000,
    );
    seen.push(`${name}: ${want}`);
  }
  assert.ok(deployments.items.length >= 7, `Deployments of ${release}: ${seen.join(', ')}`);
  const events = await kube.core.listNamespacedEvent({ namespace });
  const refused = events.items
    .filter((event) => event.reason === 'FailedCreate')
    .map((event) => `${event.involvedObject.name ?? ''}: ${event.message ?? ''}`);
  assert.deepEqual(refused, []);
  return seen;
}

/** The CRDs in the folder a script prints (those whose file names match). */
function crdsOf(script: string, files: RegExp): KubernetesObject[] {
  const run = spawnSync(join(root, 'scripts/k8s', script), { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const dir = run.stdout.trim();
  return readdirSync(dir)
    .filter((file) => files.test(file))
    .flatMap((file) => loadAllYaml(readFileSync(join(dir, file), 'utf8')) as KubernetesObject[]);
}

const scenarios = [
  { name: 'default', values: [] as string[] },
  ...readdirSync(join(chart, 'ci'))
    .filter((file) => file.endsWith('-values.yaml'))
    .sort()
    .map((file) => ({
      name: file.replace(/-values\.yaml$/, ''),
      values: ['-f', join(chart, 'ci', file)],
    })),
];

before(async () => {
  // The current MessengerPlatform CRD first: Helm applies crds/ too and would conflict with the
  // field owner of an older version left in the control plane by an earlier run.
  await installCrd(kube.config);
  await apply(kube.config, [
    ...crdsOf('gateway-api-crds.sh', /\.yaml$/),
    // the kinds the chart renders, generated from the Prometheus Operator's Go types
    ...crdsOf('prometheus-operator-crds.sh', /_(servicemonitors|prometheusrules)\.yaml$/),
  ]);
});

after(async () => {
  for (const { release, namespace } of releases) {
    helm('uninstall', release, '-n', namespace);
    await deleteNamespace(kube, namespace);
  }
});

for (const scenario of scenarios) {
  test(`${scenario.name}: helm install into a restricted namespace, every pod admitted`, async (t) => {
    const namespace = await restrictedNamespace(`chart-${scenario.name}`);
    const release = 'chat';
    releases.push({ release, namespace });
    // The default install also routes through Gateway API (the CRDs are installed above).
    const route =
      scenario.name === 'default'
        ? ['--set', 'httpRoute.enabled=true', '--set', 'httpRoute.parentRefs[0].name=public']
        : [];
    helmOk('install', release, chart, '-n', namespace, ...scenario.values, ...route);
    const seen = await assertAdmitted(namespace, release);
    t.diagnostic(seen.join(', '));
    if (scenario.name === 'default') {
      const admitted = (await custom.getNamespacedCustomObject({
        group: 'gateway.networking.k8s.io',
        version: 'v1',
        namespace,
        plural: 'httproutes',
        name: release,
      })) as { spec: { rules: { matches: { path: { value: string } }[] }[] } };
      assert.deepEqual(
        admitted.spec.rules.flatMap((rule) => rule.matches.map((match) => match.path.value)),
        ['/api', '/docs', '/healthz', '/ws'],
      );
    }
  });
}

test('production: an upgrade that changes volumeClaimTemplates keeps them, warns, and is deployed', async () => {
  const { release, namespace } = releases[scenarios.findIndex((s) => s.name === 'production')]!;
  const production = scenarios.find((s) => s.name === 'production')!.values;
  const kafka = `${release}-kafka`;
  const before = await kube.apps.readNamespacedStatefulSet({ name: kafka, namespace });
  const size = before.spec?.volumeClaimTemplates?.[0]?.spec?.resources?.requests?.storage;
  assert.ok(size);
  const notes = helmOk(
    'upgrade',
    release,
    chart,
    '-n',
    namespace,
    ...production,
    '--set',
    'kafka.persistence.size=999Gi',
  );
  assert.match(notes, /WARNING: volume settings not applied/);
  assert.match(
    notes,
    new RegExp(
      `kafka: persistence asks for 999Gi( on class \\S+)?, the StatefulSet keeps ${size}\\b`,
    ),
  );
  const status = JSON.parse(helmOk('status', release, '-n', namespace, '-o', 'json')) as {
    info: { status: string };
    version: number;
  };
  assert.deepEqual([status.info.status, status.version], ['deployed', 2]);
  const afterUpgrade = await kube.apps.readNamespacedStatefulSet({ name: kafka, namespace });
  assert.equal(
    afterUpgrade.spec?.volumeClaimTemplates?.[0]?.spec?.resources?.requests?.storage,
    size,
  );
});

test('production -> operator: helm upgrade hands messaging to the operator, every pod admitted', async () => {
  const { release, namespace } = releases[scenarios.findIndex((s) => s.name === 'production')]!;
  const values = ['production', 'operator'].flatMap(
    (name) => scenarios.find((s) => s.name === name)!.values,
  );
  helmOk('upgrade', release, chart, '-n', namespace, ...values);
  const hpas = await autoscaling.listNamespacedHorizontalPodAutoscaler({ namespace });
  assert.ok(!hpas.items.some((hpa) => hpa.metadata?.name === `${release}-messaging`));
  const seen = await assertAdmitted(namespace, release, false);
  assert.ok(
    seen.some((line) => line.startsWith(`${release}-operator:`)),
    seen.join(', '),
  );
});

test('helm uninstall removes the workloads; generated Secrets stay (kept with the volumes)', async () => {
  const { release, namespace } = releases[0]!;
  helmOk('uninstall', release, '-n', namespace, '--wait');
  const labelSelector = `app.kubernetes.io/instance=${release}`;
  const [deployments, statefulSets, secrets] = await Promise.all([
    kube.apps.listNamespacedDeployment({ namespace, labelSelector }),
    kube.apps.listNamespacedStatefulSet({ namespace, labelSelector }),
    kube.core.listNamespacedSecret({ namespace, labelSelector }),
  ]);
  assert.deepEqual([deployments.items.length, statefulSets.items.length], [0, 0]);
  assert.ok(secrets.items.some((secret) => secret.metadata?.name === `${release}-postgresql-auth`));
});
