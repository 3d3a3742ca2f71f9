// The chart against the real API server: `helm install` of the default values and of every
// ci/*-values.yaml into namespaces enforcing the restricted Pod Security level, asserting what the
// API server admitted (every pod of every workload created, no FailedCreate), and the default
// install's HTTPRoute with the Gateway API CRDs. Upgrades and uninstall: chart-upgrade.k8s.test.ts.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CustomObjectsApi } from '@kubernetes/client-node';
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
const custom = kube.config.makeApiClient(CustomObjectsApi);
const releases: { release: string; namespace: string }[] = [];

before(async () => {
  await installChartCrds(kube.config);
});

after(async () => {
  for (const { release, namespace } of releases) {
    helm('uninstall', release, '-n', namespace);
    await deleteNamespace(kube, namespace);
  }
});

for (const scenario of scenarios) {
  test(`${scenario.name}: helm install into a restricted namespace, every pod admitted`, async (t) => {
    const namespace = await restrictedNamespace(kube, `chart-${scenario.name}`);
    const release = 'chat';
    releases.push({ release, namespace });
    // The default install also routes through Gateway API (the CRDs are installed above).
    const route =
      scenario.name === 'default'
        ? ['--set', 'httpRoute.enabled=true', '--set', 'httpRoute.parentRefs[0].name=public']
        : [];
    helmOk('install', release, chart, '-n', namespace, ...scenario.values, ...route);
    const seen = await assertAdmitted(kube, namespace, release);
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
