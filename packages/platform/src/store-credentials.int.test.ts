// The authenticated path the chart deploys: a Redis with requirepass, reached with the password
// in REDIS_URL (as the chart's <release>-redis-auth Secret gives it). Its own redis-server on a
// free port, so the shared local stack stays untouched.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { freePort } from '@messenger/testkit/free-port';
import { backendConfig, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { createRedis } from './redis.js';

const password = randomBytes(16).toString('hex');
let port = 0;
let server: ChildProcess | undefined;

before(async () => {
  port = await freePort();
  server = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--requirepass',
      password,
    ],
    { stdio: 'ignore' },
  );
  const deadline = Date.now() + 10_000;
  for (;;) {
    const probe = createRedis(
      `redis://:${password}@127.0.0.1:${port}`,
      createLogger('test', 'silent'),
    );
    try {
      await probe.ping();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      probe.disconnect();
    }
  }
});

after(() => {
  server?.kill();
});

test('REDIS_URL, MONGO_URL with credentials pass the configuration check', () => {
  const schema = z.object({
    REDIS_URL: backendConfig.REDIS_URL,
    MONGO_URL: backendConfig.MONGO_URL,
  });
  const config = loadConfig(schema, {
    REDIS_URL: `redis://:${password}@chat-redis:6379`,
    MONGO_URL: `mongodb://messaging:${password}@chat-mongodb-headless.messenger.svc:27017/messenger?replicaSet=rs0`,
  });
  assert.equal(new URL(config.REDIS_URL).password, password);
  assert.equal(new URL(config.MONGO_URL).username, 'messaging');
});

test('a Redis with requirepass: the password in REDIS_URL authenticates, none is refused', async () => {
  const logger = createLogger('test', 'silent');
  const authenticated = createRedis(`redis://:${password}@127.0.0.1:${port}`, logger);
  try {
    await authenticated.set('credentials-check', 'ok');
    assert.equal(await authenticated.get('credentials-check'), 'ok');
  } finally {
    authenticated.disconnect();
  }
  const anonymous = createRedis(`redis://127.0.0.1:${port}`, logger);
  try {
    await assert.rejects(anonymous.get('credentials-check'), /NOAUTH/);
  } finally {
    anonymous.disconnect();
  }
  const wrong = createRedis(`redis://:not-${password}@127.0.0.1:${port}`, logger);
  try {
    await assert.rejects(wrong.get('credentials-check'), /WRONGPASS|NOAUTH|invalid/i);
  } finally {
    wrong.disconnect();
  }
});
