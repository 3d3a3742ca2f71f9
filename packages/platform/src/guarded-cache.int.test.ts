import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from './logger.js';
import { createRedis } from './redis.js';
import { createRegistry } from './metrics.js';
import { stack, uniqueName } from '@messenger/testkit/stack';
import { GuardedCache } from './guarded-cache.js';

const logger = createLogger('test', 'silent');
const redis = createRedis(stack.redisUrl, logger);
const name = uniqueName('cache_test');
const cache = new GuardedCache<string>({
  redis,
  name,
  ttlMs: 60_000,
  logger,
  registry: createRegistry('test'),
});

after(async () => {
  const keys = await redis.keys(`${name}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

test('a value loaded before an invalidation is not cached after it', async () => {
  const raced = await cache.readOne('k1', async () => {
    await cache.invalidate('k1'); // an update commits while this reader is at the database
    return 'old';
  });
  assert.equal(raced, 'old', 'the racing reader gets what it read');
  assert.equal(await cache.readOne('k1', () => Promise.resolve('new')), 'new', 'not the old one');
  assert.equal(
    await cache.readOne('k1', () => Promise.resolve('unused')),
    'new',
    'an undisturbed fill is served from the cache',
  );
  await cache.invalidate('k1');
  assert.equal(await cache.readOne('k1', () => Promise.resolve('newer')), 'newer');
});

test('batch reads mix hits and misses and cache nothing for absent ids', async () => {
  await cache.readOne('k2', () => Promise.resolve('two'));
  let asked: string[] = [];
  const values = await cache.read(['k2', 'k3', 'k4'], (missing) => {
    asked = missing;
    return Promise.resolve(new Map([['k3', 'three']]));
  });
  assert.deepEqual(asked, ['k3', 'k4']);
  assert.deepEqual([...values].sort(), [
    ['k2', 'two'],
    ['k3', 'three'],
  ]);
  assert.equal(
    await cache.readOne('k4', () => Promise.resolve('late')),
    'late',
    'nothing was cached for the absent id',
  );
});
