/**
 * A second auth instance started by a test, from this source tree, on a free port, sharing the
 * stack's auth database, Redis, Kafka, session and profile services: how a test runs auth with
 * settings the stack's instance does not have (Google pointed at a provider double, short
 * login-throttle windows).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../free-port.js';
import { whenHealthy } from '../service-process.js';
import { stack } from '../stack.js';
import { repoRoot } from '../repo-root.js';
import { urls } from './auth-api.js';

/** The auth service's own database on the stack's server (as scripts/stack derives it). */
function authDatabaseUrl(): string {
  const url = new URL(stack.databaseUrl);
  url.pathname = '/auth';
  return url.toString();
}

export interface AuthInstance {
  url: string;
  stop: () => Promise<void>;
}

/** `port`: one the caller took from `freePort`, e.g. to start a gateway in front at the same time. */
export async function startAuthInstance(
  env: (url: string) => Record<string, string>,
  port?: number,
): Promise<AuthInstance> {
  port ??= await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', join('services', 'auth', 'src', 'main.ts')],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        PORT: String(port),
        DATABASE_URL: authDatabaseUrl(),
        REDIS_URL: stack.redisUrl,
        KAFKA_BROKERS: stack.kafkaBrokers.join(','),
        SESSION_URL: urls.session,
        PROFILE_URL: urls.profile,
        JWKS_URL: process.env['JWKS_URL'] ?? `${urls.session}/.well-known/jwks.json`,
        INSTANCE_ID: 'auth-test-instance',
        LOG_LEVEL: 'warn',
        ...env(url),
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const stop = await whenHealthy(child, url, 'the test auth instance', 45_000, () => stderr);
  return { url, stop };
}
