import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { internalOperations } from '@messenger/contracts';
import { localUrls, type ServiceName } from '@messenger/contracts/services';
import { register, type TestUser } from '@messenger/testkit/gateway/app-client';
import { ServiceClient } from './service-client.js';

const logger = pino({ level: 'silent' });

function clientOf(service: ServiceName): ServiceClient {
  const fromEnv = process.env[`${service.toUpperCase()}_URL`];
  const baseUrl = fromEnv ?? localUrls(service)[0];
  assert.ok(baseUrl, `no address for ${service}`);
  return new ServiceClient({ service, baseUrl, timeoutMs: 5_000, logger });
}

let user: TestUser;
const session = clientOf('session');
const profile = clientOf('profile');
const contact = clientOf('contact');

before(async () => {
  user = await register('svc');
});

/**
 * Each internal operation against the stack's real service: the client throws when the service
 * does not serve it or answers outside its contract, so every call here checks both.
 */
const calls: Record<keyof typeof internalOperations, () => Promise<void>> = {
  openSession: async () => {
    const result = await session.call(internalOperations.openSession, {
      body: { userId: user.id, userAgent: 'contract-test', ip: '203.0.113.9' },
    });
    assert.equal(result.body.userId, user.id);
  },
  refreshSession: async () => {
    const first = await session.call(internalOperations.refreshSession, {
      body: { refreshToken: user.refreshToken },
    });
    assert.ok(first.ok);
    const again = await session.call(internalOperations.refreshSession, {
      body: { refreshToken: user.refreshToken },
    });
    assert.deepEqual(again.ok ? 'refreshed' : again.code, 'token_reused');
  },
  revokeSession: async () => {
    const opened = await session.call(internalOperations.openSession, {
      body: { userId: user.id },
    });
    const result = await session.call(internalOperations.revokeSession, {
      body: { userId: user.id, sessionId: opened.body.sessionId },
    });
    assert.equal(result.status, 204);
  },
  revokeUserSessions: async () => {
    const result = await session.call(internalOperations.revokeUserSessions, {
      params: { userId: user.id },
    });
    assert.equal(result.status, 204);
  },
  createProfile: async () => {
    const same = await profile.call(internalOperations.createProfile, {
      body: { userId: user.id, nickname: user.nickname.toUpperCase() },
    });
    assert.deepEqual(same.ok && [same.status, same.body.nickname], [200, user.nickname]);
    const taken = await profile.call(internalOperations.createProfile, {
      body: { userId: randomUUID(), nickname: user.nickname },
    });
    assert.deepEqual(taken.ok ? taken.status : taken.code, 'nickname_taken');
  },
  profileBatch: async () => {
    const result = await profile.call(internalOperations.profileBatch, {
      body: { userIds: [user.id, randomUUID()] },
    });
    assert.deepEqual(
      result.body.items.map((item) => item.userId),
      [user.id],
    );
  },
  profileByNickname: async () => {
    const found = await profile.call(internalOperations.profileByNickname, {
      params: { nickname: user.nickname },
    });
    assert.equal(found.ok && found.body.userId, user.id);
    const missing = await profile.call(internalOperations.profileByNickname, {
      params: { nickname: `no_${randomUUID().slice(0, 8)}` },
    });
    assert.deepEqual(missing.ok ? missing.status : missing.code, 'not_found');
  },
  relationship: async () => {
    const result = await contact.call(internalOperations.relationship, {
      query: { a: user.id, b: randomUUID() },
    });
    assert.deepEqual(result.body, { friends: false, blockedByA: false, blockedByB: false });
  },
  friendIds: async () => {
    const result = await contact.call(internalOperations.friendIds, {
      params: { userId: user.id },
    });
    assert.deepEqual(result.body.items, []);
  },
  rotateSigningKeys: async () => {
    // A year-long period: the stack's young key is kept, and the answer lists it as active.
    const result = await session.call(internalOperations.rotateSigningKeys, {
      body: { rotationSeconds: 366 * 24 * 60 * 60 },
    });
    assert.equal(result.body.rotated, false);
    assert.equal(result.body.keys.filter((key) => key.state === 'active').length, 1);
  },
};

for (const [name, call] of Object.entries(calls)) {
  test(`internal operation ${name} is served by its service as its contract says`, call);
}
