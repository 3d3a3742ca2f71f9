// `WITH_OPERATOR=1 make up` (scripts/k8s/operator.sh): the operator started beside the local stack
// against the local control plane reconciles the MessengerPlatform `messenger/local` on the
// stack's Kafka, and stops when asked.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { allTopics } from '@messenger/contracts';
import {
  condition,
  controlPlane,
  eventually,
  getPlatform,
} from '@messenger/testkit/operator/control-plane';
import { freePort } from '@messenger/testkit/free-port';
import { repoRoot as root } from '@messenger/testkit/repo-root';
import { connectKube } from './kube.js';
import { GROUP, PLURAL, VERSION, type MessengerPlatform } from './spec.js';

const kube = connectKube(controlPlane());
const resource = { group: GROUP, version: VERSION, plural: PLURAL };
// A port of its own, so a developer's operator on the default port is left alone.
let env: NodeJS.ProcessEnv & { OPERATOR_PORT: string };
const script = (command: string) =>
  spawnSync(join(root, 'scripts/k8s/operator.sh'), [command], { encoding: 'utf8', env });

before(async () => {
  env = { ...process.env, OPERATOR_PORT: String(await freePort()) };
});

after(() => {
  script('stop');
});

test('operator.sh start: the local platform is reconciled on the stack; stop stops it', async () => {
  // A fresh platform (start applies it again), so its status can only come from this run.
  await kube.custom
    .deleteNamespacedCustomObject({ ...resource, namespace: 'messenger', name: 'local' })
    .catch(() => undefined);
  const started = script('start');
  assert.equal(started.status, 0, started.stderr);
  assert.match(script('status').stdout, /running on \d+ .*ready/);
  const platform = await eventually(
    'messenger/local Ready with the registry topics',
    async () => {
      const current = await getPlatform<MessengerPlatform>(kube, 'messenger', 'local');
      return condition(current, 'Ready')?.status === 'True' ? current : undefined;
    },
    60_000,
  );
  for (const topic of allTopics) assert.ok(platform.status?.topics?.includes(topic.name));
  const metrics = await (await fetch(`http://127.0.0.1:${env.OPERATOR_PORT}/metrics`)).text();
  assert.match(metrics, /operator_reconcile_total\{result="success",service="operator"\} [1-9]/);
  assert.equal(script('stop').status, 0);
  const stopped = script('status');
  assert.equal(stopped.status, 1);
  assert.match(stopped.stdout, /stopped/);
});
