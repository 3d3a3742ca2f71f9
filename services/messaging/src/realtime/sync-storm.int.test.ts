// A reconnect storm in small: many devices sync at once on an instance that runs two syncs at a
// time and lets four wait. The others are answered `rate_limited` at once with a `retryAfterMs`,
// none is left to time out, and every device that waits as told gets what it missed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Socket } from 'socket.io-client';
import type { ErrorAck, SyncAck } from '@messenger/contracts';
import { groupChat, send } from '@messenger/testkit/messaging/chats';
import { forgetChats } from '@messenger/testkit/messaging/cleanup';
import { startInstance, type OwnInstance } from '@messenger/testkit/messaging/instance';
import { closeAll, connectSocket, emitWithAck, syncAsClient } from '@messenger/testkit/sockets';
import { befriend } from '@messenger/testkit/social';
import { newSession, newUsers, type TestUser } from '@messenger/testkit/users';

const USERS = 6;
const DEVICES_PER_USER = 8;
const MESSAGES = 5;

let instance: OwnInstance;
const sockets: Socket[] = [];

before(async () => {
  instance = await startInstance({ SYNCS_AT_ONCE: '2', SYNCS_WAITING: '4' });
});

after(async () => {
  closeAll(...sockets);
  await instance.stop();
  await forgetChats();
});

test(`${USERS * DEVICES_PER_USER} devices syncing at once: refused with a wait or served, none timed out`, async (t) => {
  const [admin, ...others] = (await newUsers(USERS)) as [TestUser, ...TestUser[]];
  await Promise.all(others.map((other) => befriend(admin, other)));
  const chat = await groupChat(instance.url, admin, others);
  for (let i = 0; i < MESSAGES; i += 1) await send(instance.url, admin, chat.id, `missed ${i}`);
  const users = [admin, ...others];
  const devices = await Promise.all(
    users.flatMap((user) =>
      Array.from({ length: DEVICES_PER_USER }, async () =>
        connectSocket(instance.url, (await newSession(user.id)).token),
      ),
    ),
  );
  sockets.push(...devices);
  const chats = [{ chatId: chat.id, afterSeq: 0 }];

  const first = await Promise.all(
    devices.map((device) => emitWithAck<SyncAck | ErrorAck>(device, 'sync', { chats })),
  );
  const refused = first.filter((answer): answer is ErrorAck => 'error' in answer);
  const codes = new Set(refused.map((answer) => answer.error.code));
  t.diagnostic(`served at once ${first.length - refused.length}, refused ${refused.length}`);
  assert.deepEqual([...codes], ['rate_limited'], 'the only refusal is rate_limited');
  assert.ok(refused.length >= devices.length - 6 - 2, `most were refused: ${refused.length}`);
  for (const answer of refused)
    assert.ok(
      answer.retryAfterMs !== undefined && answer.retryAfterMs >= 250,
      `a wait to retry after: ${answer.retryAfterMs}`,
    );

  const again = await Promise.all(devices.map((device) => syncAsClient(device, chats)));
  for (const answer of again) {
    assert.ok(!('error' in answer), JSON.stringify(answer));
    // The group's system message (created) and the messages sent.
    assert.equal(answer.messages.filter((m) => m.type === 'user').length, MESSAGES);
  }
});
