import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import {
  contactApi as api,
  befriend,
  sendRequest,
  type RequestBody,
} from '@messenger/testkit/social';
import { call } from '@messenger/testkit/http';
import { friendIds, relationship } from '@messenger/testkit/contact/relationships';
import { newUser, uniqueNickname } from '@messenger/testkit/users';

interface RequestPage {
  items: RequestBody[];
  nextCursor: string | null;
}

test('a request by nickname (any case) is pending, listed for both sides only, and accepted by the recipient only', async () => {
  const [alice, bob, eve] = await Promise.all([newUser('alice'), newUser('bob'), newUser('eve')]);
  const request = await sendRequest(alice, { nickname: bob.nickname.toUpperCase() });
  assert.equal(request.status, 201);
  assert.deepEqual(Object.keys(request.body).sort(), [
    'createdAt',
    'fromUserId',
    'id',
    'status',
    'toUserId',
  ]);
  assert.equal(request.body.status, 'pending');
  assert.equal(request.body.fromUserId, alice.id);
  assert.equal(request.body.toUserId, bob.id);

  const list = async (token: string, direction: string) =>
    (
      await call<RequestPage>('GET', `${api}/friends/requests?direction=${direction}`, { token })
    ).body.items.map((r) => r.id);
  assert.deepEqual(await list(bob.token, 'incoming'), [request.body.id]);
  assert.deepEqual(await list(alice.token, 'outgoing'), [request.body.id]);
  assert.deepEqual(await list(alice.token, 'incoming'), []);
  assert.deepEqual(await list(bob.token, 'outgoing'), []);
  assert.deepEqual(await list(eve.token, 'incoming'), [], 'nobody sees others’ requests');
  assert.deepEqual(await list(eve.token, 'outgoing'), []);

  for (const who of [alice, eve]) {
    for (const action of ['accept', 'reject']) {
      const answer = await call('POST', `${api}/friends/requests/${request.body.id}/${action}`, {
        token: who.token,
      });
      assert.equal(answer.status, 404, `${action} by a non-recipient`);
      assert.equal(answer.body['code'], 'not_found');
    }
  }
  assert.equal((await relationship(alice, bob)).friends, false);

  const accepted = await call<RequestBody>(
    'POST',
    `${api}/friends/requests/${request.body.id}/accept`,
    { token: bob.token },
  );
  assert.equal(accepted.status, 200);
  assert.equal(accepted.body.status, 'accepted');
  assert.deepEqual(await friendIds(alice), [bob.id]);
  assert.deepEqual(await friendIds(bob), [alice.id]);
  const friends = await call<{ items: { userId: string; nickname: string; since: string }[] }>(
    'GET',
    `${api}/friends`,
    { token: alice.token },
  );
  const [friend] = friends.body.items;
  assert.ok(friend);
  assert.equal(friend.nickname, bob.nickname);
  assert.ok(!Number.isNaN(Date.parse(friend.since)));
  assert.deepEqual(await list(bob.token, 'incoming'), [], 'an answered request is not pending');

  const again = await call('POST', `${api}/friends/requests/${request.body.id}/accept`, {
    token: bob.token,
  });
  assert.equal(again.status, 409);
  assert.equal(again.body['code'], 'request_not_pending');
});

test('the recipient rejects; the sender alone cancels; then a new request may follow', async () => {
  const [alice, carol, eve] = await Promise.all([
    newUser('alice'),
    newUser('carol'),
    newUser('eve'),
  ]);
  const toCarol = await sendRequest(alice, { userId: carol.id });
  const rejected = await call<RequestBody>(
    'POST',
    `${api}/friends/requests/${toCarol.body.id}/reject`,
    { token: carol.token },
  );
  assert.equal(rejected.status, 200);
  assert.equal(rejected.body.status, 'rejected');
  assert.equal((await relationship(alice, carol)).friends, false);
  const cancelRejected = await call('DELETE', `${api}/friends/requests/${toCarol.body.id}`, {
    token: alice.token,
  });
  assert.equal(cancelRejected.status, 409);

  const toEve = await sendRequest(alice, { userId: eve.id });
  for (const who of [eve, carol]) {
    const answer = await call('DELETE', `${api}/friends/requests/${toEve.body.id}`, {
      token: who.token,
    });
    assert.equal(answer.status, 404, 'only the sender cancels');
  }
  const cancelled = await call('DELETE', `${api}/friends/requests/${toEve.body.id}`, {
    token: alice.token,
  });
  assert.equal(cancelled.status, 204);
  const incoming = await call<RequestPage>('GET', `${api}/friends/requests?direction=incoming`, {
    token: eve.token,
  });
  assert.deepEqual(incoming.body.items, []);
  assert.equal(
    (await call('DELETE', `${api}/friends/requests/${toEve.body.id}`, { token: alice.token }))
      .status,
    404,
    'a cancelled request is gone',
  );

  const renewed = await sendRequest(alice, { userId: carol.id });
  assert.equal(renewed.status, 201, 'a rejected request can be sent again');
});

test('requests to yourself, to a friend, twice, or to nobody are refused with a code', async () => {
  const [a, b, c] = await Promise.all([newUser('ref'), newUser('ref'), newUser('ref')]);
  const self = await sendRequest(a, { userId: a.id });
  assert.equal(self.status, 409);
  assert.equal(self.body['code' as keyof RequestBody], 'self_request');
  const selfByNickname = await sendRequest(a, { nickname: a.nickname.toUpperCase() });
  assert.equal(selfByNickname.status, 409);

  await befriend(a, b);
  for (const [from, to] of [
    [a, b],
    [b, a],
  ] as const) {
    const friend = await sendRequest(from, { userId: to.id });
    assert.equal(friend.status, 409);
    assert.equal(friend.body['code' as keyof RequestBody], 'already_friends');
  }

  assert.equal((await sendRequest(a, { userId: c.id })).status, 201);
  const twice = await sendRequest(a, { nickname: c.nickname });
  assert.equal(twice.status, 409);
  assert.equal(twice.body['code' as keyof RequestBody], 'request_pending');

  assert.equal((await sendRequest(a, { userId: randomUUID() })).status, 404);
  assert.equal((await sendRequest(a, { nickname: uniqueNickname('ghost') })).status, 404);
});

test('a request to someone who already asked you accepts theirs', async () => {
  const [a, b] = await Promise.all([newUser('mutual'), newUser('mutual')]);
  const first = await sendRequest(a, { userId: b.id });
  const back = await sendRequest(b, { nickname: a.nickname });
  assert.equal(back.status, 200);
  assert.equal(back.body.status, 'accepted');
  assert.equal(back.body.id, first.body.id, 'the answer is their request, now accepted');
  assert.deepEqual(await friendIds(b), [a.id]);
  assert.deepEqual(await friendIds(a), [b.id]);
});

test('two people asking each other at the same moment end with exactly one friendship', async () => {
  const pairs = await Promise.all(
    Array.from({ length: 20 }, async () => Promise.all([newUser('race'), newUser('race')])),
  );
  await Promise.all(
    pairs.map(async ([a, b]) => {
      const answers = await Promise.all([
        sendRequest(a, { userId: b.id }),
        sendRequest(b, { userId: a.id }),
      ]);
      assert.deepEqual(
        answers.map((answer) => answer.status).sort(),
        [200, 201],
        'one request is created and the other accepts it',
      );
      assert.ok(answers.some((answer) => answer.body.status === 'accepted'));
      assert.deepEqual(await friendIds(a), [b.id]);
      assert.deepEqual(await friendIds(b), [a.id]);
      assert.equal((await relationship(a, b)).friends, true);
      for (const user of [a, b]) {
        for (const direction of ['incoming', 'outgoing']) {
          const pending = await call<RequestPage>(
            'GET',
            `${api}/friends/requests?direction=${direction}`,
            { token: user.token },
          );
          assert.deepEqual(pending.body.items, [], 'no request is left pending');
        }
      }
    }),
  );
});

test('pending requests page newest first with a cursor', async () => {
  const target = await newUser('popular');
  const senders = await Promise.all(Array.from({ length: 5 }, () => newUser('fan')));
  const sent: string[] = [];
  for (const sender of senders)
    sent.push((await sendRequest(sender, { userId: target.id })).body.id);
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const query: string = `direction=incoming&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
    const page: { status: number; body: RequestPage } = await call<RequestPage>(
      'GET',
      `${api}/friends/requests?${query}`,
      { token: target.token },
    );
    assert.equal(page.status, 200);
    assert.ok(page.body.items.length <= 2);
    seen.push(...page.body.items.map((r) => r.id));
    cursor = page.body.nextCursor;
  } while (cursor);
  assert.deepEqual(seen, [...sent].reverse());
});
