// The fuzz pass of `make test` (scripts/test.mjs fuzz): schemathesis (scripts/fuzz/schemathesis.sh,
// a cached virtualenv) against the gateway's served OpenAPI document, as a registered user, with a
// bounded case count. It fails on any 5xx, on an answer its contract does not declare (status, body
// schema, content type), on a schemathesis error, and when a service stops answering /healthz.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { register } from '@messenger/testkit/gateway/app-client';
import { repoRoot } from '@messenger/testkit/repo-root';
import {
  authUrl,
  contactUrl,
  gatewayUrl,
  messagingUrls,
  profileUrl,
  sessionUrl,
} from '@messenger/testkit/service-urls';

/** Cases per operation: FUZZ_EXAMPLES, or a count that keeps `make test` within minutes. */
const examples = Math.max(1, Number(process.env['FUZZ_EXAMPLES'] ?? 15));
/** The same cases on every run unless FUZZ_SEED asks for others (a failure names its seed). */
const seed = process.env['FUZZ_SEED'] ?? '13';

/** The checks enabled: every one that the contracts promise (docs/api.md, "Conventions"). */
const checks = [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_schema_conformance',
  'negative_data_rejection',
];

/**
 * Left out, and why: logout ends the fuzzing user's session, and so does DELETE /sessions/{id}
 * once schemathesis reuses the id GET /sessions showed it (everything after either would be 401);
 * login failures from one address lock it out of login for an hour (auth's per-address limit),
 * which other tests on a shared stack would hit; Google's routes answer the declared 503
 * google_not_configured on a stack without Google credentials.
 */
const excluded = ['/api/v1/auth/logout', '/api/v1/auth/login', '/api/v1/sessions/{sessionId}'];
const excludedRegex = '^/api/v1/auth/google';

test('schemathesis finds no 5xx, no undeclared answer and no crash', async () => {
  const user = await register('fuzz');
  const run = spawnSync(
    join(repoRoot, 'scripts/fuzz/schemathesis.sh'),
    [
      'run',
      `${gatewayUrl}/api/v1/openapi.json`,
      '--header',
      `Authorization: Bearer ${user.accessToken}`,
      '--checks',
      checks.join(','),
      // Stateful links reach DELETE /sessions/{id} with the fuzzing session's own id.
      '--phases',
      'examples,fuzzing',
      '--max-examples',
      String(examples),
      '--seed',
      seed,
      ...excluded.flatMap((path) => ['--exclude-path', path]),
      '--exclude-path-regex',
      excludedRegex,
      '--max-redirects',
      '0',
      // Under the gateway's per-user limit (RATE_LIMIT_USER_PER_MINUTE), so 429s stay rare.
      '--rate-limit',
      '500/m',
      '--request-timeout',
      '20',
      '--workers',
      '2',
      '--no-color',
      // No example database (.schemathesis/) left in the working tree.
      '--generation-database',
      'none',
    ],
    { cwd: repoRoot, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 540_000 },
  );
  const output = `${run.stdout}\n${run.stderr}`;
  const summary = output.slice(output.lastIndexOf('SUMMARY'));
  console.log(summary);
  assert.match(summary, /Test cases:\s+\d+ generated/, 'schemathesis did not run to its summary');
  assert.equal(run.status, 0, `schemathesis found failures:\n${output.slice(-20_000)}`);
  const instances = [gatewayUrl, authUrl, sessionUrl, profileUrl, contactUrl, ...messagingUrls];
  const health = await Promise.all(
    instances.map(async (url) => {
      const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(5_000) });
      return `${url} ${response.status}`;
    }),
  );
  assert.deepEqual(
    health,
    instances.map((url) => `${url} 200`),
  );
});
