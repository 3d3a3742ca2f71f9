import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Profile } from '@messenger/contracts';
import { call } from '@messenger/testkit/http';
import { newUser, type TestUser } from '@messenger/testkit/users';
import { profileUrl } from '@messenger/testkit/service-urls';

const api = `${profileUrl}/api/v1/profiles`;
/** A prefix no other test's profiles start with. */
const tag = `q${randomBytes(4).toString('hex')}`;
let viewer: TestUser;
let byNickname: TestUser[];
let byDisplayName: TestUser[];

interface Page {
  items: Profile[];
  nextCursor: string | null;
}

async function search(term: string, limit: number, cursor?: string): Promise<Page> {
  const query = new URLSearchParams({ search: term, limit: String(limit) });
  if (cursor) query.set('cursor', cursor);
  const answer = await call<Page>('GET', `${api}?${query.toString()}`, { token: viewer.token });
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  return answer.body;
}

async function searchAll(term: string, limit: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 50; pages++) {
    const page = await search(term, limit, cursor);
    assert.ok(page.items.length <= limit);
    ids.push(...page.items.map((profile) => profile.userId));
    if (!page.nextCursor) return ids;
    cursor = page.nextCursor;
  }
  throw new Error('pagination did not end');
}

before(async () => {
  viewer = await newUser('viewer');
  byNickname = await Promise.all(Array.from({ length: 5 }, () => newUser(tag)));
  byDisplayName = await Promise.all(Array.from({ length: 4 }, () => newUser('dn')));
  await Promise.all(
    byDisplayName.map((user, index) =>
      call('PATCH', `${api}/me`, {
        token: user.token,
        body: { displayName: `${tag.toUpperCase()} Person ${index}` },
      }),
    ),
  );
  // Matches both ways: listed once, among the nickname matches.
  const [both] = byNickname;
  await call('PATCH', `${api}/me`, {
    token: both?.token ?? '',
    body: { displayName: `${tag} also by name` },
  });
});

test('search pages through nickname matches, then display-name matches, each once', async () => {
  for (const limit of [1, 2, 5, 9, 100]) {
    const ids = await searchAll(tag, limit);
    assert.equal(ids.length, 9, `limit ${limit}`);
    assert.equal(new Set(ids).size, 9, `no duplicates at limit ${limit}`);
    assert.deepEqual(
      new Set(ids.slice(0, 5)),
      new Set(byNickname.map((user) => user.id)),
      'nickname matches come first',
    );
    assert.deepEqual(new Set(ids.slice(5)), new Set(byDisplayName.map((user) => user.id)));
  }
});

test('search is case-insensitive and narrows with a longer prefix', async () => {
  const upper = await searchAll(tag.toUpperCase(), 20);
  assert.equal(upper.length, 9);
  const [first] = byNickname;
  const exact = await search(first?.nickname.toUpperCase() ?? '', 20);
  assert.deepEqual(
    exact.items.map((profile) => profile.userId),
    [first?.id],
  );
  const person = await searchAll(`${tag} person 2`, 20);
  assert.deepEqual(person, [byDisplayName[2]?.id]);
  const none = await search(`${tag}zzz`, 20);
  assert.deepEqual(none, { items: [], nextCursor: null });
});

test('search with odd characters finds nothing and fails nothing', async () => {
  for (const term of ['%', '_', "'; DROP TABLE profiles; --", '\\', 'ü', '日本', '😀']) {
    const page = await search(term, 5);
    assert.ok(Array.isArray(page.items), term);
  }
});

test('bad search queries are 400 problems', async () => {
  const bad = [
    '',
    '?search=',
    `?search=${'a'.repeat(65)}`,
    '?search=a&limit=0',
    '?search=a&limit=101',
    '?search=a&limit=ten',
    '?search=a&cursor=not-a-cursor',
    `?search=a&cursor=${Buffer.from('{"phase":"elsewhere"}').toString('base64url')}`,
    `?search=a&cursor=${Buffer.from('{"phase":"displayName","after":{"key":"a","userId":"x"}}').toString('base64url')}`,
    '?search=a&search=b',
    '?search=%00',
  ];
  for (const query of bad) {
    const answer = await call('GET', `${api}${query}`, { token: viewer.token });
    assert.equal(answer.status, 400, query);
    assert.match(answer.contentType, /^application\/problem\+json/);
  }
});
