import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDuration, signingKeysStatus } from './signing-keys.js';

test('durations as Kubernetes writes them', () => {
  assert.equal(parseDuration('720h'), 720 * 3_600_000);
  assert.equal(parseDuration('1h30m'), 90 * 60_000);
  assert.equal(parseDuration('90s'), 90_000);
  assert.equal(parseDuration('1.5h'), 90 * 60_000);
  for (const bad of ['', '10', 'h', '10d', '-1h', '1h 30m', '10ms']) {
    assert.equal(parseDuration(bad), undefined, bad);
  }
});

test('the status names the signing key and the published successor', () => {
  const keys = [
    { kid: 'old', activatesAt: '2026-01-01T00:00:00.000Z', state: 'retired' as const },
    { kid: 'now', activatesAt: '2026-02-01T00:00:00.000Z', state: 'active' as const },
    { kid: 'soon', activatesAt: '2026-03-01T00:00:00.000Z', state: 'next' as const },
  ];
  assert.deepEqual(signingKeysStatus({ rotated: true, keys }), {
    activeKeyId: 'now',
    activeSince: '2026-02-01T00:00:00.000Z',
    nextKeyId: 'soon',
    nextKeySignsFrom: '2026-03-01T00:00:00.000Z',
    publishedKeys: 3,
  });
  assert.deepEqual(signingKeysStatus({ rotated: false, keys: keys.slice(1, 2) }), {
    activeKeyId: 'now',
    activeSince: '2026-02-01T00:00:00.000Z',
    publishedKeys: 1,
  });
});
