import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openApiDocument } from './document.js';
import { responses } from './schemas.js';
import { apiRoutes } from '../routes.js';

/** The operations docs/api.md lists, e.g. `get /chats/{}` (parameter names normalised away). */
function apiMdOperations(): Set<string> {
  const apiMd = readFileSync(join(__dirname, '..', '..', '..', '..', 'docs', 'api.md'), 'utf8');
  const operations = [...apiMd.matchAll(/^\| (GET|POST|PATCH|DELETE) (\/[^\s|?]+)/gm)].map(
    ([, method, path]) =>
      `${String(method).toLowerCase()} /api/v1${String(path).replace(/\{\w+\}/g, '{}')}`,
  );
  return new Set(operations);
}

function documentedOperations(): Set<string> {
  const paths = openApiDocument()['paths'] as Record<string, Record<string, unknown>>;
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

test('every routed operation documents its success response', () => {
  for (const route of apiRoutes) {
    assert.ok(
      responses[`${route.method} ${route.path}`],
      `${route.method} ${route.path} has no documented response`,
    );
  }
});

test('operation ids are unique', () => {
  const paths = openApiDocument()['paths'] as Record<
    string,
    Record<string, { operationId: string }>
  >;
  const ids = Object.values(paths).flatMap((methods) =>
    Object.values(methods).map((op) => op.operationId),
  );
  assert.equal(new Set(ids).size, ids.length);
});
