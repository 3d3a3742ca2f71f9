import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { KeySealer } from './key-sealing.js';

const pem = '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n';

test('a sealed key opens only with the same secret and under the same kid', () => {
  const secret = randomBytes(32).toString('base64');
  const sealer = new KeySealer(secret);
  const sealed = sealer.seal('k1', pem);
  assert.match(sealed, /^aes256gcm:/);
  assert.ok(!sealed.includes('PRIVATE'));
  assert.equal(new KeySealer(secret).open('k1', sealed), pem);
  assert.throws(() => sealer.open('k2', sealed));
  assert.throws(() => new KeySealer(randomBytes(32).toString('base64')).open('k1', sealed));
  assert.throws(() => new KeySealer(undefined).open('k1', sealed), /SIGNING_KEY_ENCRYPTION_KEY/);
});

test('without a secret keys are stored marked plain, and still open', () => {
  const sealer = new KeySealer(undefined);
  const stored = sealer.seal('k1', pem);
  assert.match(stored, /^plain:/);
  assert.equal(sealer.open('k1', stored), pem);
  assert.throws(() => sealer.open('k1', 'garbage'), /unknown format/);
});
