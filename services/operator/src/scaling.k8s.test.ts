// WebSocket-aware scaling against the real kube-apiserver and kube-controller-manager, with
// socket counts from the local stack's real messaging instances carrying real Socket.IO
// connections: its real Prometheus scrapes them under the names of the Pending pods (a file_sd
// target file, labels `namespace` and `pod`), and the operator reads them through its Prometheus
// source and default query. It sets the messaging Deployment's replicas, and deletion costs
// before a scale-in, so the real ReplicaSet controller removes the emptiest pods.
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
  createPlatform,
  deleteNamespace,
  eventually,
  getPlatform,
  installCrd,
  KAFKA_BROKERS,
  sleep,
  uniqueName,
} from '@messenger/testkit/operator/control-plane';
import { startOperator, type OperatorProcess } from '@messenger/testkit/operator/operator-process';
import {
  podTargets,
  prometheusUrl,
  queryBy,
  type PodTarget,
} from '@messenger/testkit/operator/prometheus-targets';
import { operatorKubeconfig } from '@messenger/testkit/operator/service-account';
import { closeAll, connectSocket, instanceA, instanceB } from '@messenger/testkit/sockets';
import { newUser, type TestUser } from '@messenger/testkit/users';

const kube = connectKube(controlPlane());
const namespace = uniqueName('op-scaling');
const release = 'chat';
const deployment = `${release}-messaging`;
const targets = podTargets(namespace);
const [addressA, addressB] = [instanceA, instanceB].map((url) => new URL(url).host) as [
  string,
  string,
];
type Socket = Awaited<ReturnType<typeof connectSocket>>;
const open = new Map<string, Socket[]>([
  [instanceA, []],
  [instanceB, []],
]);
let user: TestUser;
let operator: OperatorProcess;
let operatorConfig: string;

const labels = {
  'app.kubernetes.io/name': 'messenger',
  'app.kubernetes.io/instance': release,
  'app.kubernetes.io/component': 'messaging',
};
/** The operator's default PROMETHEUS_QUERY, for this namespace. */
const socketQuery = `sum by (pod) (messaging_socket_connections{namespace="${namespace}"})`;
const windowSeconds = 15;

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

async function podCount(count: number): Promise<string[]> {
  const current = await eventually(`${count} messaging pods`, async () => {
    const listed = await pods();
    return listed.length === count ? listed : undefined;
  });
  return current.map((pod) => pod.metadata?.name ?? '');
}

/** Opens or closes real connections until `instance` carries `count` of this test's. */
async function carry(instance: string, count: number): Promise<void> {
  const sockets = open.get(instance) ?? [];
  while (sockets.length > count) sockets.pop()?.close();
  const more = await Promise.all(
    Array.from({ length: count - sockets.length }, () => connectSocket(instance, user.token)),
  );
  sockets.push(...more);
}

/** Each instance's own gauge, straight from its /metrics. */
async function instanceSockets(instance: string): Promise<number> {
  const text = await (await fetch(new URL('/metrics', instance))).text();
  return Number(/^messaging_socket_connections(?:\{[^}]*\})? (\S+)$/m.exec(text)?.[1]);
}

const point = (pod: string, address: string): PodTarget => ({ namespace, pod, address });

before(async () => {
  await installCrd(kube.config);
  await createNamespace(kube, namespace);
  await eventually('the default ServiceAccount', async () =>
    (await kube.core.listNamespacedServiceAccount({ namespace })).items.some(
      (account) => account.metadata?.name === 'default',
    ),
  );
  // The counts below are this test's connections only: nothing else may be connected.
  for (const instance of [instanceA, instanceB]) {
    await eventually(
      `no sockets on ${instance}`,
      async () => (await instanceSockets(instance)) === 0,
    );
  }
  user = await newUser('scaling');
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
  operatorConfig = await operatorKubeconfig(kube, namespace, operatorRules('operator'));
  operator = await startOperator({
    KUBECONFIG: operatorConfig,
    WATCH_NAMESPACE: namespace,
    LEASE_NAME: 'operator',
    KAFKA_BROKERS,
    SOCKET_METRICS: 'prometheus',
    PROMETHEUS_URL: prometheusUrl,
  });
});

after(async () => {
  closeAll(...[...open.values()].flat());
  targets.remove();
  await operator.stop();
  await deleteNamespace(kube, namespace);
});

test('replicas follow the live sockets: up at once, down after the window, emptiest pods first', async () => {
  const [first = '', second = ''] = await podCount(2);
  // 12 real connections on one instance, 8 on the other; Prometheus sees them as the two pods'.
  await carry(instanceA, 12);
  await carry(instanceB, 8);
  targets.write([point(first, addressA), point(second, addressB)]);
  await eventually('Prometheus to count 12 and 8 sockets on the two pods', async () => {
    const counts = await queryBy(socketQuery, 'pod');
    return counts.get(first) === 12 && counts.get(second) === 8;
  });
  await createPlatform(kube, namespace, release, {
    version: '0.1.0',
    services: {
      messaging: {
        autoscaling: {
          minReplicas: 1,
          maxReplicas: 5,
          targetSocketsPerPod: 5,
          scaleDownStabilizationSeconds: windowSeconds,
        },
      },
    },
  });

  // 20 sockets, 5 per pod: 4 replicas, at once; the operator owns spec.replicas by SSA.
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

  // The sockets drop to 3, all on the first pod. The two new pods have no metrics yet, and the
  // operator never scales in half blind; once they have (none on them), one pod would do, but
  // the window holds four for a while.
  await carry(instanceA, 3);
  await carry(instanceB, 0);
  const dropped = Date.now();
  const others = four.filter((pod) => pod !== first);
  targets.write([point(first, addressA), ...others.map((pod) => point(pod, addressB))]);
  await eventually(
    'Prometheus to count 3 sockets on the first pod, none on the others',
    async () => {
      const counts = await queryBy(socketQuery, 'pod');
      return counts.get(first) === 3 && others.every((pod) => counts.get(pod) === 0);
    },
  );
  await sleep(dropped + 5_000 - Date.now());
  assert.equal(await replicas(), 4, 'still 4 inside the stabilisation window');

  await eventually('1 replica', async () => (await replicas()) === 1, 30_000);
  // The window counts from the last reconcile that saw 20 sockets: at most one resync (2 s)
  // before they dropped.
  const waited = Date.now() - dropped;
  assert.ok(waited >= (windowSeconds - 2) * 1000, `scaled in after ${waited} ms`);
  const [survivor] = await podCount(1);
  // The ReplicaSet controller removed the pods with the lowest deletion cost (fewest sockets).
  assert.equal(survivor, first);
  const kept = await kube.core.readNamespacedPod({ name: first, namespace });
  assert.equal(kept.metadata?.annotations?.[DELETION_COST_ANNOTATION], '3');
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
  await carry(instanceA, 0);
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
