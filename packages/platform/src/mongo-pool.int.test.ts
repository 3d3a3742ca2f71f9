// A wedged MongoDB-compatible server, as the stack's real one behind a proxy that stops
// forwarding: operations beyond the pool wait at most the wait-queue bound and fail as
// "backend unavailable" (answered 503 and retried by clients) instead of piling up, the pool
// gauges show it, and the operations in flight complete once the server answers again.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Registry } from 'prom-client';
import { testMongoUrl } from '@messenger/testkit/stack';
import { stallingProxy } from '@messenger/testkit/stalling-proxy';
import { isBackendUnavailable } from './backend-unavailable.js';
import { createLogger } from './logger.js';
import { createRegistry } from './metrics.js';
import { connectMongo, MONGO_MAX_POOL_SIZE } from './mongo.js';

const EXTRA = 5;

async function gauge(registry: Registry, name: string): Promise<number> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  return Number(metric?.values[0]?.value);
}

test('operations beyond the pool fail within the wait bound while the server is wedged', async () => {
  const url = new URL(testMongoUrl('pool'));
  const proxy = await stallingProxy(url.hostname, Number(url.port));
  url.port = String(proxy.port);
  url.searchParams.set('directConnection', 'true');
  const registry = createRegistry('mongo-pool-test');
  const connection = await connectMongo(
    url.toString(),
    createLogger('mongo-pool-test', 'silent'),
    registry,
  );
  const probes = connection.collection('mongo_pool_probe');
  try {
    await probes.findOne({});
    proxy.stall();
    const started = performance.now();
    const operations = Array.from({ length: MONGO_MAX_POOL_SIZE + EXTRA }, () =>
      probes.findOne({}).then(
        () => ({ error: undefined as unknown, ms: performance.now() - started }),
        (error: unknown) => ({ error, ms: performance.now() - started }),
      ),
    );
    await sleep(1_000);
    // Each operation holds a connection or waits for one (a new connection's handshake is held
    // up too): at least the ones beyond the pool wait.
    const waiting = await gauge(registry, 'mongo_pool_waiting_operations');
    const inUse = await gauge(registry, 'mongo_pool_connections_in_use');
    assert.equal(waiting + inUse, operations.length, `${waiting} waiting, ${inUse} in use`);
    assert.ok(waiting >= EXTRA, `${waiting} waiting`);
    // The wait bound is 5 s; the ones holding a connection still wait for the server.
    await sleep(5_500);
    proxy.resume();
    const outcomes = await Promise.all(operations);
    const failed = outcomes.filter((o) => o.error !== undefined);
    assert.equal(failed.length, waiting, 'the waiting operations gave up');
    for (const { error, ms } of failed) {
      assert.equal((error as Error).name, 'MongoWaitQueueTimeoutError');
      assert.ok(isBackendUnavailable(error), 'a backend that is unavailable: 503, retryable');
      assert.ok(ms < 6_500, `gave up after ${ms.toFixed(0)} ms`);
    }
    await probes.findOne({});
    assert.equal(await gauge(registry, 'mongo_pool_waiting_operations'), 0);
  } finally {
    proxy.resume();
    await connection.close();
    await proxy.close();
  }
});
