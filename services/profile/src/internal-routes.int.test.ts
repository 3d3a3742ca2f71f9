import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { topics, type Profile } from '@messenger/contracts';
import { connectProducer, createEnvelope, publishEvents, type Producer } from '@messenger/platform';
import { eventually } from '@messenger/testkit/eventually';
import { call } from '@messenger/testkit/http';
import { kafka } from '@messenger/testkit/kafka';
import { profileUrl } from '@messenger/testkit/service-urls';
import { uniqueNickname } from '@messenger/testkit/users';

const internal = `${profileUrl}/internal/profiles`;
let producer: Producer;

before(async () => {
  producer = await connectProducer(kafka);
});

after(async () => {
  await producer.disconnect();
});

test('register creates a profile once; a repeat is answered with it; nicknames are unique in any case', async () => {
  const userId = randomUUID();
  const nickname = uniqueNickname('Reg');
  const created = await call<Profile>('POST', internal, { body: { userId, nickname } });
  assert.equal(created.status, 201);
  assert.equal(created.body.nickname, nickname.toLowerCase(), 'stored lower-cased');
  assert.equal(created.body.userId, userId);

  const again = await call<Profile>('POST', internal, {
    body: { userId, nickname: nickname.toUpperCase() },
  });
  assert.equal(again.status, 200);
  assert.deepEqual(again.body, created.body);

  const someoneElse = await call('POST', internal, {
    body: { userId: randomUUID(), nickname: nickname.toUpperCase() },
  });
  assert.equal(someoneElse.status, 409);
  assert.equal(someoneElse.body['code'], 'nickname_taken');

  const otherName = await call('POST', internal, {
    body: { userId, nickname: uniqueNickname('other') },
  });
  assert.equal(otherName.status, 409);
  assert.equal(otherName.body['code'], 'profile_exists');

  const byNickname = await call<Profile>(
    'GET',
    `${internal}/by-nickname/${nickname.toUpperCase()}`,
  );
  assert.equal(byNickname.body.userId, userId);
  assert.equal(
    (await call('GET', `${internal}/by-nickname/${uniqueNickname('none')}`)).status,
    404,
  );
});

test('concurrent registrations of one nickname leave exactly one owner', async () => {
  const nickname = uniqueNickname('race');
  const answers = await Promise.all(
    Array.from({ length: 8 }, () =>
      call('POST', internal, { body: { userId: randomUUID(), nickname } }),
    ),
  );
  assert.deepEqual(
    answers.map((answer) => answer.status).sort(),
    [201, 409, 409, 409, 409, 409, 409, 409],
  );
});

test('the batch lookup returns the profiles that exist, once each, in the order asked', async () => {
  const ids = [randomUUID(), randomUUID()];
  for (const id of ids) {
    await call('POST', internal, { body: { userId: id, nickname: uniqueNickname('batch') } });
  }
  const [first, second] = ids as [string, string];
  const answer = await call<{ items: Profile[] }>('POST', `${internal}/batch`, {
    body: { userIds: [second, randomUUID(), first, second.toUpperCase()] },
  });
  assert.equal(answer.status, 200);
  assert.deepEqual(
    answer.body.items.map((profile) => profile.userId),
    [second, first],
  );
  const empty = await call<{ items: Profile[] }>('POST', `${internal}/batch`, {
    body: { userIds: [] },
  });
  assert.deepEqual(empty.body.items, []);
});

test('bad input to the internal endpoints is a 400 problem', async () => {
  const bodies = [
    '{"userId": ',
    JSON.stringify({ userId: 'not-a-uuid', nickname: 'fine_name' }),
    JSON.stringify({ userId: randomUUID(), nickname: 'no' }),
    JSON.stringify({ userId: randomUUID(), nickname: 'has space' }),
    JSON.stringify({ userId: randomUUID(), nickname: 'x'.repeat(33) }),
    JSON.stringify({ userId: randomUUID(), nickname: { $gt: '' } }),
  ];
  for (const rawBody of bodies) {
    const answer = await call('POST', internal, { rawBody });
    assert.equal(answer.status, 400, rawBody);
    assert.match(answer.contentType, /^application\/problem\+json/);
  }
  for (const body of [
    {},
    { userIds: 'all' },
    { userIds: ['nope'] },
    { userIds: Array(501).fill(randomUUID()) },
  ]) {
    assert.equal((await call('POST', `${internal}/batch`, { body })).status, 400);
  }
  assert.equal((await call('GET', `${internal}/by-nickname/a`)).status, 400);
});

test('a user.created event creates the missing profile, once, and odd events are skipped', async () => {
  const userId = randomUUID();
  const nickname = uniqueNickname('Evt');
  const event = createEnvelope('auth', {
    type: 'user.created',
    key: userId,
    data: { userId, email: `${nickname}@example.com`, nickname },
  });
  const odd = { ...event, id: randomUUID(), data: { userId: 'not-a-uuid', nickname: 5 } };
  const message = { topic: topics.user.name, key: userId, envelope: event };
  await publishEvents(producer, [{ ...message, envelope: odd }, message, message]);

  const profile = await eventually(
    async () => {
      const answer = await call<{ items: Profile[] }>('POST', `${internal}/batch`, {
        body: { userIds: [userId] },
      });
      return answer.body.items[0];
    },
    15_000,
    'the profile made from user.created',
  );
  assert.equal(profile.nickname, nickname.toLowerCase());
  const ready = await call('GET', `${profileUrl}/readyz`);
  assert.equal(ready.status, 200, 'the service is still healthy');
});
