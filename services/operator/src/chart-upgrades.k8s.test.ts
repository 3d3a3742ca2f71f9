// The chart against the real API server, upgraded from each scenario to the next: one release
// (restricted namespace) installed with the default values, then `helm upgrade` to every
// ci/*-values.yaml in turn. After each, the release is deployed and every workload of the new
// values got its pods created, with no FailedCreate.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
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
const release = 'chat';
let namespace = '';

before(async () => {
  await installChartCrds(kube.config);
  namespace = await restrictedNamespace(kube, 'chart-upgrades');
  helmOk('install', release, chart, '-n', namespace);
  await assertAdmitted(kube, namespace, release);
});

after(async () => {
  helm('uninstall', release, '-n', namespace);
  await deleteNamespace(kube, namespace);
});

const [first, ...next] = scenarios;
let from = first?.name ?? '';
for (const [index, scenario] of next.entries()) {
  test(`helm upgrade ${from} -> ${scenario.name}: deployed, every pod admitted`, async (t) => {
    helmOk('upgrade', release, chart, '-n', namespace, ...scenario.values);
    const status = JSON.parse(helmOk('status', release, '-n', namespace, '-o', 'json')) as {
      info: { status: string };
      version: number;
    };
    assert.deepEqual([status.info.status, status.version], ['deployed', index + 2]);
    t.diagnostic((await assertAdmitted(kube, namespace, release, false)).join(', '));
  });
  from = scenario.name;
}
