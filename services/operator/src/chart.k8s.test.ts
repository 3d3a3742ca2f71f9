// The chart's operator section against the real API server: `helm install` with the operator on,
// in a namespace enforcing the restricted Pod Security level; the operator's pods are admitted,
// and the operator, run with a token of the chart's own ServiceAccount (its Role only),
// reconciles the release's MessengerPlatform.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { MessengerPlatform } from './spec.js';
import { connectKube } from './kube.js';
import {
  condition,
  controlPlane,
  deleteNamespace,
  eventually,
  getPlatform,
  installCrd,
  uniqueName,
} from '@messenger/testkit/operator/control-plane';
import { startOperator, type OperatorProcess } from '@messenger/testkit/operator/operator-process';
import { repoRoot as root } from '@messenger/testkit/repo-root';

const kube = connectKube(controlPlane());
const namespace = uniqueName('op-chart');
const release = 'chat';
let operator: OperatorProcess | undefined;

function helm(...args: string[]): string {
  const result = spawnSync(join(root, 'scripts/helm.sh'), args, {
    encoding: 'utf8',
    env: process.env,
  });
  if (result.status !== 0) throw new Error(`helm ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

before(async () => {
  await installCrd(kube.config);
  await kube.core.createNamespace({
    body: {
      metadata: {
        name: namespace,
        labels: {
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/enforce-version': 'latest',
        },
      },
    },
  });
  helm(
    'install',
    release,
    join(root, 'charts/messenger'),
    '-n',
    namespace,
    '--set',
    'operator.enabled=true',
    '--set',
    'tests.enabled=false',
  );
});

after(async () => {
  await operator?.stop();
  spawnSync(join(root, 'scripts/helm.sh'), ['uninstall', release, '-n', namespace]);
  await deleteNamespace(kube, namespace);
});

test('the operator pods are admitted under the restricted profile', async () => {
  const pods = await eventually('2 operator pods', async () => {
    const list = await kube.core.listNamespacedPod({
      namespace,
      labelSelector: 'app.kubernetes.io/component=operator',
    });
    return list.items.length === 2 ? list.items : undefined;
  });
  assert.equal(pods[0]?.spec?.serviceAccountName, `${release}-operator`);
  const events = await kube.core.listNamespacedEvent({ namespace });
  const refused = events.items.filter(
    (event) => event.reason === 'FailedCreate' && event.message?.includes('operator'),
  );
  assert.deepEqual(
    refused.map((event) => event.message),
    [],
  );
});

test('run with the chart ServiceAccount token, the operator reconciles the release platform', async () => {
  const token = await kube.core.createNamespacedServiceAccountToken({
    name: `${release}-operator`,
    namespace,
    body: { spec: { audiences: [], expirationSeconds: 3600 } },
  });
  const cluster = kube.config.getCurrentCluster();
  const file = join(mkdtempSync(join(tmpdir(), 'operator-chart-')), 'kubeconfig');
  writeFileSync(
    file,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: 'test',
          cluster: { server: cluster?.server, 'certificate-authority': cluster?.caFile },
        },
      ],
      users: [{ name: 'operator', user: { token: token.status?.token } }],
      contexts: [{ name: 'test', context: { cluster: 'test', user: 'operator' } }],
      'current-context': 'test',
    }),
    { mode: 0o600 },
  );
  operator = await startOperator({
    KUBECONFIG: file,
    WATCH_NAMESPACE: namespace,
    LEASE_NAME: `${release}-operator`,
    // The in-cluster broker names do not resolve here: the status must say so.
    KAFKA_BROKERS: `${release}-kafka-0.${release}-kafka-headless.${namespace}.svc:9092`,
    KAFKA_TIMEOUT_MS: '1000',
  });
  const platform = await eventually(
    'a status on the release platform',
    async () => {
      const current = await getPlatform<MessengerPlatform>(kube, namespace, release);
      return current.status?.phase ? current : undefined;
    },
    60_000,
  );
  assert.equal(platform.status?.phase, 'Degraded');
  assert.equal(condition(platform, 'Degraded')?.reason, 'KafkaUnreachable');
  // Every workload of the release is listed, none ready (there is no kubelet).
  const progressing = condition(platform, 'Progressing');
  assert.match(
    progressing?.message ?? '',
    new RegExp(`Deployment ${release}-messaging not available`),
  );
  assert.match(
    progressing?.message ?? '',
    new RegExp(`StatefulSet ${release}-kafka short of replicas`),
  );
  assert.ok(platform.status.services?.messaging);
});
