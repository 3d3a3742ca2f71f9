import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { baseConfigSchema, ConfigError, loadConfig, urlList } from './config.js';

const schema = baseConfigSchema.extend({ DATABASE_URL: z.url(), KAFKA_BROKERS: urlList });

test('loads and coerces valid settings with defaults', () => {
  const config = loadConfig(schema, {
    PORT: '8081',
    DATABASE_URL: 'postgres://u:p@localhost:5432/auth',
    KAFKA_BROKERS: 'a:9092, b:9092',
  });
  assert.equal(config.PORT, 8081);
  assert.equal(config.LOG_LEVEL, 'info');
  assert.deepEqual(config.KAFKA_BROKERS, ['a:9092', 'b:9092']);
});

test('names every missing or malformed variable', () => {
  assert.throws(
    () => loadConfig(schema, { PORT: 'eighty', KAFKA_BROKERS: 'a:1' }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /PORT: /);
      assert.match(error.message, /DATABASE_URL: is required/);
      assert.equal(error.problems.length, 2);
      return true;
    },
  );
});
