import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Redis } from 'ioredis';
import { MongoClient } from 'mongodb';
import pg from 'pg';
import { isBackendUnavailable } from './backend-unavailable.js';
import { HttpProblem } from './http/problem.js';

// Nothing listens on port 1: each client fails as it does against a server that is down.
const closed = { host: '127.0.0.1', port: 1 };

async function failureOf(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error('the call succeeded');
}

test('MongoDB that cannot be reached is a backend outage', async () => {
  const client = new MongoClient(`mongodb://${closed.host}:${closed.port}/x`, {
    serverSelectionTimeoutMS: 300,
  });
  const error = await failureOf(() => client.db().command({ ping: 1 }));
  await client.close();
  assert.ok(isBackendUnavailable(error), String(error));
});

test('PostgreSQL that refuses the connection is a backend outage', async () => {
  const client = new pg.Client(closed);
  const error = await failureOf(() => client.connect());
  assert.ok(isBackendUnavailable(error), String(error));
});

test('Redis that cannot be reached is a backend outage', async () => {
  const redis = new Redis({ ...closed, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  const error = await failureOf(() => redis.ping());
  redis.disconnect();
  assert.ok(isBackendUnavailable(error), String(error));
});

test('a MongoDB server that cannot serve now is a backend outage', () => {
  const shuttingDown = Object.assign(new Error('interrupted at shutdown'), {
    name: 'MongoServerError',
    code: 11600,
  });
  const labelled = Object.assign(new Error('not primary'), {
    name: 'MongoServerError',
    code: 0,
    errorLabelSet: new Set(['RetryableWriteError']),
  });
  assert.ok(isBackendUnavailable(shuttingDown));
  assert.ok(isBackendUnavailable(labelled));
});

test('bugs, refusals and bad input are not outages', () => {
  const duplicateKey = Object.assign(new Error('E11000 duplicate key'), {
    name: 'MongoServerError',
    code: 11000,
  });
  const uniqueViolation = Object.assign(new Error('duplicate key value'), { code: '23505' });
  for (const error of [
    new TypeError('x is undefined'),
    duplicateKey,
    uniqueViolation,
    new HttpProblem(404, 'not_found', 'No such chat.'),
    'a string',
    undefined,
  ])
    assert.equal(isBackendUnavailable(error), false, String(error));
});
