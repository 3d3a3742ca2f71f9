import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { externalOperations, operationKey, problemsOf, type Operation } from '@messenger/contracts';
import { call, register, type TestUser } from '@messenger/testkit/gateway/app-client';

let user: TestUser;

before(async () => {
  user = await register('contract');
});

/** They end the probe's sessions: probed last, in this order, so every other probe is authorised. */
const last = ['delete /sessions', 'post /auth/logout'];

function pathOf(operation: Operation): string {
  const path = operation.path.replace(/\{(\w+)\}/g, (_m, name: string) =>
    name === 'nickname' ? user.nickname : randomUUID(),
  );
  const query: Record<string, string> = {
    'get /profiles': `search=${user.nickname.slice(0, 4)}`,
    'get /presence': `userIds=${randomUUID()}`,
  };
  const search = query[operationKey(operation)];
  return search ? `${path}?${search}` : path;
}

test('every operation answers, through the gateway, only what its contract lists', async () => {
  const ordered = [
    ...externalOperations.filter((operation) => !last.includes(operationKey(operation))),
    ...last.map((key) => externalOperations.find((operation) => operationKey(operation) === key)),
  ].filter((operation) => operation !== undefined);
  const seen: string[] = [];
  for (const operation of ordered) {
    const key = operationKey(operation);
    const response = await call(operation.method.toUpperCase(), pathOf(operation), {
      token: user.accessToken,
      ...(operation.body ? { body: {} } : {}),
    });
    seen.push(`${key} ${response.status}`);
    const success = operation.success.find((candidate) => candidate.status === response.status);
    if (success) {
      if (success.body) {
        const parsed = success.body.safeParse(response.body);
        assert.ok(parsed.success, `${key} ${response.status}: ${JSON.stringify(response.body)}`);
      }
      continue;
    }
    const code = String(response.body['code']);
    assert.doesNotMatch(String(response.body['detail']), /^No route for/, `${key} is not served`);
    assert.ok(
      problemsOf(operation, true).some(
        (problem) => problem.status === response.status && problem.code === code,
      ),
      `${key} answered ${response.status} ${code} (${String(response.body['detail'])}), which its contract does not list`,
    );
  }
  // Some probes must get through to a success, or this would only ever see 400s.
  assert.ok(
    seen.filter((entry) => /\s2\d\d$/.test(entry)).length >= 8,
    `too few successes: ${seen.join(', ')}`,
  );
});
