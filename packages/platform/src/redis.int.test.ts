import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRedis } from './redis.js';
import { createLogger } from './logger.js';
import { redisRevocationCheck, revokedSessionKey } from './auth/verifier.js';
import { stack, uniqueName } from '@messenger/testkit/stack';

const redis = createRedis(stack.redisUrl, createLogger('test', 'silent'));

after(() => redis.quit());

test('the revocation check sees a revoked session until its entry expires', async () => {
  const sessionId = uniqueName('session');
  const isRevoked = redisRevocationCheck(redis);
  assert.equal(await isRevoked(sessionId), false);
  await redis.set(revokedSessionKey(sessionId), '1', 'PX', 300);
  assert.equal(await isRevoked(sessionId), true);
  await new Promise((resolve) => setTimeout(resolve, 400));
  assert.equal(await isRevoked(sessionId), false);
});
