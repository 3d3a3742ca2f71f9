import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactUrl } from './redact-url.js';

test('credential-like query values are hidden, the rest kept', () => {
  assert.equal(
    redactUrl('/api/v1/auth/google/callback?code=abc&state=xyz&scope=email'),
    '/api/v1/auth/google/callback?code=redacted&state=redacted&scope=email',
  );
  assert.equal(redactUrl('/api/v1/chats?limit=5'), '/api/v1/chats?limit=5');
  assert.equal(redactUrl('/healthz'), '/healthz');
});
