// Both socket-count sources against the local stack's real servers: the messaging instances'
// own /metrics, and Prometheus scraping them (its `instance` label standing in for pod names).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { services } from '@messenger/contracts/services';
import { messagingUrls } from '@messenger/testkit/service-urls';
import { PodMetricsCounts, PrometheusCounts } from './socket-counts.js';

const PROMETHEUS_URL = process.env.PROMETHEUS_URL ?? 'http://127.0.0.1:59090';
const instances = messagingUrls.map((url) => new URL(url).host);
const pods = instances.map((name) => ({ name, namespace: 'local' }));

test('each messaging instance’s /metrics gives its socket count', async () => {
  const counts = await new PodMetricsCounts('http://{pod}/metrics').read(pods);
  for (const name of instances) {
    const value = counts.get(name);
    assert.ok(value !== undefined && Number.isInteger(value) && value >= 0, `${name}: ${value}`);
  }
  const missing = await new PodMetricsCounts(
    `http://{podIP}:${services.messaging.port}/metrics`,
  ).read(pods);
  assert.deepEqual([...missing.values()], [undefined, undefined], 'no IP yet: no count');
});

test('Prometheus gives one count per pod label', async () => {
  const query =
    'sum by (pod) (label_replace(messaging_socket_connections{job="messaging"}, "pod", "$1", "instance", "(.*)"))';
  const counts = await new PrometheusCounts(PROMETHEUS_URL, query).read(pods);
  for (const name of instances) {
    const value = counts.get(name);
    assert.ok(value !== undefined && value >= 0, `${name}: ${value}`);
  }
  await assert.rejects(
    new PrometheusCounts(PROMETHEUS_URL, 'sum by (pod) (').read(pods),
    /Prometheus query failed/,
  );
});
