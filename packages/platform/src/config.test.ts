import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { baseConfigSchema, ConfigError, loadConfig, loadKafkaSasl, urlList } from './config.js';

const schema = baseConfigSchema.extend({ DATABASE_URL: z.url(), KAFKA_BROKERS: urlList });

test('loads and coerces valid settings with defaults', () => {
  const config = loadConfig(schema, {
    PORT: '9123',
    DATABASE_URL: 'postgres://u:p@localhost:5432/auth',
    KAFKA_BROKERS: 'a:9092, b:9092',
  });
  assert.equal(config.PORT, 9123);
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

const sasl = {
  KAFKA_SASL_MECHANISM: 'scram-sha-512',
  KAFKA_SASL_USERNAME: 'messaging',
  KAFKA_SASL_PASSWORD: 's3cret',
};

test('Kafka SASL: all three variables give the credentials of every client', () => {
  assert.deepEqual(loadKafkaSasl(sasl), {
    mechanism: 'scram-sha-512',
    username: 'messaging',
    password: 's3cret',
  });
  for (const mechanism of ['scram-sha-256', 'plain', 'SCRAM-SHA-512']) {
    assert.equal(
      loadKafkaSasl({ ...sasl, KAFKA_SASL_MECHANISM: mechanism })?.mechanism,
      mechanism.toLowerCase(),
    );
  }
});

test('Kafka SASL: none (or only empty values) means no SASL', () => {
  assert.equal(loadKafkaSasl({}), undefined);
  assert.equal(
    loadKafkaSasl({ KAFKA_SASL_MECHANISM: '', KAFKA_SASL_USERNAME: '', KAFKA_SASL_PASSWORD: '' }),
    undefined,
  );
});

test('Kafka SASL: a partial set is a ConfigError naming each missing variable', () => {
  const partial = (env: NodeJS.ProcessEnv, missing: string[]) => {
    assert.throws(
      () => loadKafkaSasl(env),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.deepEqual(
          error.problems.map((problem) => problem.split(':')[0]),
          missing,
          error.message,
        );
        assert.match(error.message, /all three KAFKA_SASL_\* or none/);
        assert.doesNotMatch(error.message, /s3cret/);
        return true;
      },
    );
  };
  partial({ KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'auth' }, [
    'KAFKA_SASL_PASSWORD',
  ]);
  partial({ KAFKA_SASL_PASSWORD: 's3cret' }, ['KAFKA_SASL_MECHANISM', 'KAFKA_SASL_USERNAME']);
  partial({ ...sasl, KAFKA_SASL_USERNAME: '' }, ['KAFKA_SASL_USERNAME']);
});

test('Kafka SASL: an unknown mechanism is refused by name', () => {
  assert.throws(
    () => loadKafkaSasl({ ...sasl, KAFKA_SASL_MECHANISM: 'gssapi' }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.problems.length, 1);
      assert.match(error.message, /^ {2}KAFKA_SASL_MECHANISM: /m);
      return true;
    },
  );
});
