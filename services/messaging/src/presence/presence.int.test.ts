import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PresenceStatus } from '@messenger/contracts';
import { call } from '@messenger/testkit/http';
import {
  closeAll,
  connectSocket,
  instanceA,
  instanceB,
  nextEvent,
  record,
} from '@messenger/testkit/sockets';
import { befriend } from '@messenger/testkit/social';
import { newSession, newUsers } from '@messenger/testkit/users';

type PresenceEvent = { userId: string } & PresenceStatus;

test('presence goes online and offline with the last connection, to friends only', async () => {
  const [a, friend, stranger] = await newUsers(3);
  await befriend(a!, friend!);
  const watcher = await connectSocket(instanceA, friend!.token);
  const outsider = await connectSocket(instanceB, stranger!.token);
  try {
    const heardByStranger = record<PresenceEvent>(outsider, 'presence');
    const online = nextEvent<PresenceEvent>(watcher, 'presence', (p) => p.userId === a!.id);
    const first = await connectSocket(instanceB, a!.token);
    const came = await online;
    assert.equal(came.online, true);

    const statuses = async (viewer: typeof a) =>
      (
        await call<{ statuses: Record<string, PresenceStatus> }>(
          'GET',
          `${instanceA}/api/v1/presence?userIds=${a!.id},${stranger!.id}`,
          { token: viewer!.token },
        )
      ).body.statuses;
    const seen = await statuses(friend);
    assert.equal(seen[a!.id]?.online, true);
    assert.equal(seen[stranger!.id], undefined, 'not a friend: not answered');
    assert.deepEqual(
      Object.keys(await statuses(stranger)),
      [stranger!.id],
      'only friends (and oneself) are answered',
    );

    const secondDevice = await newSession(a!.id);
    const second = await connectSocket(instanceA, secondDevice.token);
    // A connection is counted just after its handshake, on its own instance: the first device
    // leaves once the second has been counted (a switch within those milliseconds can flicker).
    await new Promise((resolve) => setTimeout(resolve, 500));
    const events = record<PresenceEvent>(watcher, 'presence');
    first.close();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    assert.deepEqual(events, [], 'still online through the other device');

    const offline = nextEvent<PresenceEvent>(watcher, 'presence', (p) => p.userId === a!.id);
    second.close();
    const left = await offline;
    assert.equal(left.online, false);
    assert.ok(left.lastSeenAt);
    const after = await statuses(friend);
    assert.deepEqual(after[a!.id], { online: false, lastSeenAt: left.lastSeenAt });
    assert.deepEqual(heardByStranger, []);
  } finally {
    closeAll(watcher, outsider);
  }
});
