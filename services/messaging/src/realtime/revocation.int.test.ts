import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call } from '@messenger/testkit/http';
import { closeAll, connectSocket, instanceA, instanceB, refusal } from '@messenger/testkit/sockets';
import { newSession, newUser, revokeSession } from '@messenger/testkit/users';

test("revoking a session closes that session's sockets on every instance, and only those", async () => {
  const user = await newUser();
  const other = await newSession(user.id);
  const doomed = await Promise.all([
    connectSocket(instanceA, other.token),
    connectSocket(instanceB, other.token),
  ]);
  const kept = await connectSocket(instanceB, user.token);
  try {
    const closed = doomed.map(
      (socket) =>
        new Promise<string>((resolve, reject) => {
          const timer = setTimeout(() => {
            reject(new Error('the socket of the revoked session stayed open'));
          }, 15_000);
          socket.once('disconnect', (reason) => {
            clearTimeout(timer);
            resolve(reason);
          });
        }),
    );
    await revokeSession(user, other.sessionId);
    assert.deepEqual(await Promise.all(closed), ['io server disconnect', 'io server disconnect']);
    assert.equal(kept.connected, true);

    const refused = await refusal(instanceA, other.token);
    assert.equal(refused.message, 'unauthorized');
    const rest = await call('GET', `${instanceA}/api/v1/chats`, { token: other.token });
    assert.equal(rest.status, 401);
  } finally {
    closeAll(...doomed, kept);
  }
});
