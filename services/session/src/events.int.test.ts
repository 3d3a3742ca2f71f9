import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { topics } from '@messenger/contracts';
import { call, openSession } from '@messenger/testkit/session/session-api';
import { readEvents, type EventLog } from '@messenger/testkit/event-log';

let events: EventLog;
before(async () => {
  events = await readEvents(topics.session);
});
after(() => events.close());

test('opening and revoking a session publish session.created and session.revoked', async () => {
  const tokens = await openSession();
  const revoke = await call('DELETE', `/api/v1/sessions/${tokens.sessionId}`, {
    token: tokens.accessToken,
  });
  assert.equal(revoke.status, 204);
  const ofSession = (type: string) => (event: { type: string; data: Record<string, unknown> }) =>
    event.type === type && event.data['sessionId'] === tokens.sessionId;
  const created = await events.find(ofSession('session.created'), 'session.created');
  assert.deepEqual(created.data, { sessionId: tokens.sessionId, userId: tokens.userId });
  assert.equal(created.producer, 'session');
  const revoked = await events.find(ofSession('session.revoked'), 'session.revoked');
  assert.deepEqual(revoked.data, {
    sessionId: tokens.sessionId,
    userId: tokens.userId,
    reason: 'revoked',
  });
});
