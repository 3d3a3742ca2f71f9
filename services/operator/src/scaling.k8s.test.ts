// WebSocket-aware scaling against the real kube-apiserver and kube-controller-manager: the
// operator sets the messaging Deployment's replicas from live socket counts (served here per
// Pending pod, as each pod's /metrics would), and deletion costs before a scale-in, so the real
// ReplicaSet controller removes the emptiest pods.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { V1Pod } from '@kubernetes/client-node';
import { KubeConfig } from '@kubernetes/client-node';
import { applyPatch, connectKube, FIELD_MANAGER, statusCode } from './kube.js';
import { DELETION_COST_ANNOTATION } from './scaling.js';
import { API_VERSION, GROUP, KIND, PLURAL, VERSION, type MessengerPlatform } from './spec.js';
import { operatorRules } from './rbac.js';
import {
  apply,
  condition,
  controlPlane,
  createNamespace,
  deleteNamespace,
  eventually,
  getPlatform,
  installCrd,
  KAFKA_BROKERS,
  sleep,
  uniqueName,
} from '@messenger/testkit/operator/control-plane';
import {
  fakePodMetrics,
  startOperator,
  type OperatorProcess,
} from '@messenger/testkit/operator/operator-process';
import { operatorKubeconfig } from '@messenger/testkit/operator/service-account';

const kube = connectKube(controlPlane());
const namespace = uniqueName('op-scaling');
const release = 'chat';
const deployment = `${release}-messaging`;
const sockets = new Map<string, number>();
let metrics: Awaited<ReturnType<typeof fakePodMetrics>>;
let operator: OperatorProcess;
let operatorConfig: string;

const labels = {
  'app.kubernetes.io/name': 'messenger',
  'app.kubernetes.io/instance': release,
  'app.kubernetes.io/component': 'messaging',
};

async function pods(): Promise<V1Pod[]> {
  const list = await kube.core.listNamespacedPod({
    namespace,
    labelSelector: Object.entries(labels)
      .map(([key, value]) => `${key}=${value}`)
      .join(','),
  });
  return list.items.filter((pod) => !pod.metadata?.deletionTimestamp);
}

async function replicas(): Promise<number | undefined> {
  return (await kube.apps.readNamespacedDeployment({ name: deployment, namespace })).spec?.replicas;
}

async function podCount(count: number): Promise<V1Pod[]> {
  return eventually(`${count} messaging pods`, async () => {
    const current = await pods();
    return current.length === count ? current : undefined;
  });
}

before(async () => {
  await installCrd(kube.config);
  await createNamespace(kube, namespace);
  await eventually('the default ServiceAccount', async () =>
    (await kube.core.listNamespacedServiceAccount({ namespace })).items.some(
      (account) => account.metadata?.name === 'default',
    ),
  );
  await apply(kube.config, [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: deployment, namespace, labels },
      spec: {
        replicas: 2,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: { containers: [{ name: 'messaging', image: 'messaging:test' }] },
        },
      },
    } as never,
  ]);
  metrics = await fakePodMetrics(sockets);
  operatorConfig = await operatorKubeconfig(kube, namespace, operatorRules('operator'));
  operator = await startOperator({
    KUBECONFIG: operatorConfig,
    WATCH_NAMESPACE: namespace,
    LEASE_NAME: 'operator',
    KAFKA_BROKERS,
    POD_METRICS_URL: metrics.url,
  });
});

after(async () => {
  await operator.stop();
  await metrics.close();
  await deleteNamespace(kube, namespace);
});

test('replicas follow the live sockets: up at once, down after the window, emptiest pods first', async () => {
  const [first, second] = await podCount(2);
  sockets.set(first?.metadata?.name ?? '', 250);
  sockets.set(second?.metadata?.name ?? '', 150);
  await kube.custom.createNamespacedCustomObject({
    group: GROUP,
    version: VERSION,
    namespace,
    plural: PLURAL,
    body: {
      apiVersion: API_VERSION,
      kind: KIND,
      metadata: { name: release, namespace },
      spec: {
        version: '0.1.0',
        services: {
          messaging: {
            autoscaling: {
              minReplicas: 1,
              maxReplicas: 5,
              targetSocketsPerPod: 100,
              scaleDownStabilizationSeconds: 6,
            },
          },
        },
      },
    },
  });

  // 400 sockets, 100 per pod: 4 replicas, at once; the operator owns spec.replicas by SSA.
  await eventually('4 replicas', async () => (await replicas()) === 4);
  const four = await podCount(4);
  const managed = (
    await kube.apps.readNamespacedDeployment({ name: deployment, namespace })
  ).metadata?.managedFields?.find((entry) => entry.manager === FIELD_MANAGER);
  assert.equal(managed?.operation, 'Apply');
  assert.match(JSON.stringify(managed.fieldsV1), /f:replicas/);
  // The status is written after the scale in the same reconcile: wait for it, not for the scale.
  await eventually('Progressing (pods never become ready here)', async () => {
    const platform = await getPlatform<MessengerPlatform>(kube, namespace, release);
    return condition(platform, 'Progressing')?.status === 'True';
  });
  const events = await kube.core.listNamespacedEvent({
    namespace,
    fieldSelector: `involvedObject.name=${release}`,
  });
  assert.ok(events.items.some((event) => event.reason === 'ScaledUp'));

  // Sockets drop to 80: one pod would do, but the 6 s window holds four for a while.
  const names = four.map((pod) => pod.metadata?.name ?? '');
  const busiest = names[2] ?? '';
  names.forEach((name, index) => sockets.set(name, index === 2 ? 60 : index === 0 ? 20 : 0));
  const dropped = Date.now();
  await sleep(3_000);
  assert.equal(await replicas(), 4, 'still 4 inside the stabilisation window');

  await eventually('1 replica', async () => (await replicas()) === 1, 20_000);
  assert.ok(Date.now() - dropped >= 4_000, 'not before the window ends');
  const [survivor] = await podCount(1);
  // The ReplicaSet controller removed the pods with the lowest deletion cost (fewest sockets).
  assert.equal(survivor?.metadata?.name, busiest);
  assert.equal(survivor.metadata.annotations?.[DELETION_COST_ANNOTATION], '60');
});

test('never below minReplicas, and the operator never fights a field it does not own', async () => {
  await kube.custom.patchNamespacedCustomObject(
    {
      group: GROUP,
      version: VERSION,
      namespace,
      plural: PLURAL,
      name: release,
      fieldManager: 'tests',
      force: true,
      body: {
        apiVersion: API_VERSION,
        kind: KIND,
        metadata: { name: release, namespace },
        spec: {
          version: '0.1.0',
          services: {
            messaging: {
              autoscaling: {
                minReplicas: 2,
                maxReplicas: 5,
                targetSocketsPerPod: 100,
                scaleDownStabilizationSeconds: 6,
              },
            },
          },
        },
      },
    },
    applyPatch,
  );
  for (const pod of await pods()) sockets.set(pod.metadata?.name ?? '', 0);
  await eventually('2 replicas (the minimum)', async () => (await replicas()) === 2);
  await podCount(2);
  // The image is Helm's field, not the operator's: its apply holds spec.replicas only.
  const deploymentNow = await kube.apps.readNamespacedDeployment({ name: deployment, namespace });
  const owned = JSON.stringify(
    deploymentNow.metadata?.managedFields?.find((entry) => entry.manager === FIELD_MANAGER)
      ?.fieldsV1,
  );
  assert.doesNotMatch(owned, /containers/);
});

test('the operator runs on its Role alone: anything else is refused', async () => {
  const config = new KubeConfig();
  config.loadFromFile(operatorConfig);
  const limited = connectKube(config);
  // What it needs works (the tests above ran the operator on this token) ...
  await limited.apps.readNamespacedDeployment({ name: deployment, namespace });
  // ... and nothing more: Secrets, deleting workloads, other namespaces, other Leases.
  const refused = async (what: string, call: () => Promise<unknown>) => {
    await assert.rejects(call, (error: unknown) => statusCode(error) === 403, what);
  };
  await refused('list secrets', () => limited.core.listNamespacedSecret({ namespace }));
  await refused('delete the Deployment', () =>
    limited.apps.deleteNamespacedDeployment({ name: deployment, namespace }),
  );
  await refused('patch a StatefulSet', () =>
    limited.apps.patchNamespacedStatefulSet({ name: 'x', namespace, body: [] }),
  );
  await refused('pods of another namespace', () =>
    limited.core.listNamespacedPod({ namespace: 'default' }),
  );
  await refused('update another Lease', () =>
    limited.coordination.replaceNamespacedLease({
      name: 'someone-else',
      namespace,
      body: { metadata: { name: 'someone-else' } },
    }),
  );
});
