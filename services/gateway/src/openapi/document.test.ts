import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { externalOperations, operationKey, problemsOf } from '@messenger/contracts';
import { openApiDocument } from './document.js';
import { apiRoutes } from '../routes.js';

type Json = Record<string, unknown>;
const repoRoot = join(__dirname, '..', '..', '..', '..');

/** The operations docs/api.md lists, e.g. `get /chats/{}` (parameter names normalised away). */
function apiMdOperations(): Set<string> {
  const apiMd = readFileSync(join(repoRoot, 'docs', 'api.md'), 'utf8');
  const operations = [...apiMd.matchAll(/^\| (GET|POST|PUT|PATCH|DELETE) (\/[^\s|?]+)/gm)].map(
    ([, method, path]) =>
      `${String(method).toLowerCase()} /api/v1${String(path).replace(/\{\w+\}/g, '{}')}`,
  );
  return new Set(operations);
}

const document = openApiDocument();
const paths = document['paths'] as Record<string, Record<string, Json>>;
const schemas = (document['components'] as { schemas: Record<string, Json> }).schemas;

function documentedOperations(): Set<string> {
  return new Set(
    Object.entries(paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method} ${path.replace(/\{\w+\}/g, '{}')}`),
    ),
  );
}

test('the OpenAPI document has exactly the operations of docs/api.md', () => {
  const expected = apiMdOperations();
  assert.ok(expected.size >= 30, `parsed only ${expected.size} operations from docs/api.md`);
  assert.deepEqual([...documentedOperations()].sort(), [...expected].sort());
});

test('every gateway route has a contract and every contract a gateway route', () => {
  const routed = new Set(apiRoutes.map(operationKey));
  const contracted = new Set(externalOperations.map(operationKey));
  assert.deepEqual(
    [...routed].filter((key) => !contracted.has(key)),
    [],
    'routes without a contract',
  );
  assert.deepEqual(
    [...contracted].filter((key) => !routed.has(key)),
    [],
    'contracts without a route',
  );
  assert.equal(routed.size, apiRoutes.length, 'a route is listed twice');
});

test('each operation lists every problem its contract names, each code with an example', () => {
  for (const operation of externalOperations) {
    const responses = paths[`/api/v1${operation.path}`]?.[operation.method]?.['responses'] as
      Record<string, { content?: Record<string, { examples?: Json }> }> | undefined;
    assert.ok(responses, `${operationKey(operation)} is missing`);
    for (const problem of problemsOf(operation, true)) {
      const examples =
        responses[String(problem.status)]?.content?.['application/problem+json']?.examples;
      assert.ok(
        examples?.[problem.code],
        `${operationKey(operation)} does not list ${problem.status} ${problem.code}`,
      );
    }
  }
  const sendRequest = paths['/api/v1/friends/requests']?.['post']?.['responses'] as Json;
  for (const status of [
    '400',
    '401',
    '403',
    '404',
    '409',
    '413',
    '415',
    '429',
    '502',
    '503',
    '504',
  ])
    assert.ok(sendRequest[status], `POST /friends/requests lists no ${status}`);
});

test('nicknames may be sent in upper case and profile fields may be null', () => {
  const register = schemas['postAuthRegisterRequest'] as {
    properties: { nickname: { pattern: string } };
  };
  assert.match('Ada.L', new RegExp(register.properties.nickname.pattern));
  const patch = schemas['patchProfilesMeRequest'] as { properties: Record<string, Json> };
  const profile = schemas['Profile'] as { properties: Record<string, { type: string[] }> };
  for (const field of ['displayName', 'bio', 'avatarUrl']) {
    assert.ok(JSON.stringify(patch.properties[field]).includes('"null"'), `patch ${field}`);
    assert.ok(profile.properties[field]?.type.includes('null'), `profile ${field}`);
  }
});

test('operation ids are unique', () => {
  const ids = Object.values(paths).flatMap((methods) =>
    Object.values(methods).map((operation) => operation['operationId']),
  );
  assert.equal(new Set(ids).size, ids.length);
});

test('redocly lint finds no errors, examples checked against their schemas', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'openapi-'));
  try {
    await writeFile(join(dir, 'openapi.json'), JSON.stringify(document));
    await writeFile(
      join(dir, 'redocly.yaml'),
      [
        'extends: [recommended]',
        'rules:',
        '  no-invalid-media-type-examples: error',
        '  no-invalid-schema-examples: error',
      ].join('\n'),
    );
    const { stdout } = await promisify(execFile)(
      join(repoRoot, 'node_modules', '.bin', 'redocly'),
      ['lint', 'openapi.json', '--config', 'redocly.yaml', '--format', 'json'],
      { cwd: dir, maxBuffer: 16 * 1024 * 1024 },
    );
    const report = JSON.parse(stdout) as {
      totals: { errors: number };
      problems: { severity: string; message: string; location: { pointer: string }[] }[];
    };
    const errors = report.problems
      .filter((problem) => problem.severity === 'error')
      .map((problem) => `${problem.location[0]?.pointer}: ${problem.message}`);
    assert.deepEqual(errors, []);
    assert.equal(report.totals.errors, 0);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
