/** The chart installed with helm into the test control plane, and what the API server admitted. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  loadAllYaml,
  type AppsV1Api,
  type CoreV1Api,
  type KubeConfig,
  type KubernetesObject,
  type V1Deployment,
} from '@kubernetes/client-node';
import { repoRoot as root } from '../repo-root.js';
import { apply, eventually, installCrd, uniqueName } from './control-plane.js';

type Clients = { core: CoreV1Api; apps: AppsV1Api };

export const chart = join(root, 'charts/messenger');

/** The default values and every ci/*-values.yaml, as helm arguments. */
export const scenarios = [
  { name: 'default', values: [] as string[] },
  ...readdirSync(join(chart, 'ci'))
    .filter((file) => file.endsWith('-values.yaml'))
    .sort()
    .map((file) => ({
      name: file.replace(/-values\.yaml$/, ''),
      values: ['-f', join(chart, 'ci', file)],
    })),
];

export function helm(...args: string[]): { status: number; stdout: string; stderr: string } {
  const result = spawnSync(join(root, 'scripts/helm.sh'), args, {
    encoding: 'utf8',
    env: process.env,
  });
  return { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}

export function helmOk(...args: string[]): string {
  const result = helm(...args);
  assert.equal(result.status, 0, `helm ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

export async function restrictedNamespace(kube: Clients, prefix: string): Promise<string> {
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
async function currentPods(kube: Clients, namespace: string, deployment: V1Deployment) {
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
export async function assertAdmitted(
  kube: Clients,
  namespace: string,
  release: string,
  fresh = true,
): Promise<string[]> {
  const labelSelector = `app.kubernetes.io/instance=${release}`;
  const seen: string[] = [];
  const deployments = await kube.apps.listNamespacedDeployment({ namespace, labelSelector });
  for (const listed of deployments.items) {
    const name = listed.metadata?.name ?? '';
    const counted = await eventually(
      `the pods of Deployment ${name} in ${namespace}`,
      async () => {
        const deployment = await kube.apps.readNamespacedDeployment({ name, namespace });
        const current = await currentPods(kube, namespace, deployment);
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
export function crdsOf(script: string, files: RegExp): KubernetesObject[] {
  const run = spawnSync(join(root, 'scripts/k8s', script), { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const dir = run.stdout.trim();
  return readdirSync(dir)
    .filter((file) => files.test(file))
    .flatMap((file) => loadAllYaml(readFileSync(join(dir, file), 'utf8')) as KubernetesObject[]);
}

/**
 * The CRDs a release of the chart needs: the current MessengerPlatform CRD first (Helm applies
 * crds/ too and would conflict with the field owner of an older version left in the control
 * plane by an earlier run), the Gateway API's, and the Prometheus Operator kinds the chart
 * renders, generated from its Go types.
 */
export async function installChartCrds(config: KubeConfig): Promise<void> {
  await installCrd(config);
  await apply(config, [
    ...crdsOf('gateway-api-crds.sh', /\.yaml$/),
    ...crdsOf('prometheus-operator-crds.sh', /_(servicemonitors|prometheusrules)\.yaml$/),
  ]);
}
