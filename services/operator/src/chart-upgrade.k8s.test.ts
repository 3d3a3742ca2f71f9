// The chart against the real API server, upgraded: a production release (restricted namespace)
// whose `helm upgrade` changes volumeClaimTemplates is deployed with the volumes kept and a warning
// instead of failing; production -> production + operator hands messaging to the operator;
// `helm uninstall` removes the workloads and keeps the generated Secrets.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AutoscalingV2Api } from '@kubernetes/client-node';
import { controlPlane, deleteNamespace } from '@messenger/testkit/operator/control-plane';
import {
  assertAdmitted,
  chart,
  helm,
  helmOk,
  installChartCrds,
  restrictedNamespace,
  scenarios,
} from '@messenger/testkit/operator/helm-release';
import { connectKube } from './kube.js';

const kube = connectKube(controlPlane());
const autoscaling = kube.config.makeApiClient(AutoscalingV2Api);
const release = 'chat';
const production = scenarios.find((s) => s.name === 'production')!.values;
let namespace = '';

before(async () => {
  await installChartCrds(kube.config);
  namespace = await restrictedNamespace(kube, 'chart-upgrade');
  helmOk('install', release, chart, '-n', namespace, ...production);
  await assertAdmitted(kube, namespace, release);
});

after(async () => {
  helm('uninstall', release, '-n', namespace);
  await deleteNamespace(kube, namespace);
});

test('production: an upgrade that changes volumeClaimTemplates keeps them, warns, and is deployed', async () => {
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
  const values = ['production', 'operator'].flatMap(
    (name) => scenarios.find((s) => s.name === name)!.values,
  );
  helmOk('upgrade', release, chart, '-n', namespace, ...values);
  const hpas = await autoscaling.listNamespacedHorizontalPodAutoscaler({ namespace });
  assert.ok(!hpas.items.some((hpa) => hpa.metadata?.name === `${release}-messaging`));
  const seen = await assertAdmitted(kube, namespace, release, false);
  assert.ok(
    seen.some((line) => line.startsWith(`${release}-operator:`)),
    seen.join(', '),
  );
});

test('helm uninstall removes the workloads; generated Secrets stay (kept with the volumes)', async () => {
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
