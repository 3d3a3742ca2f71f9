/**
 * A second auth instance started by a test, from this source tree, on a free port, sharing the
 * stack's auth database, Redis, Kafka, session and profile services: how a test runs auth with
 * settings the stack's instance does not have (Google pointed at a provider double, short
 * login-throttle windows).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { eventually } from '../eventually.js';
import { freePort } from '../free-port.js';
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

export async function startAuthInstance(
  env: (url: string) => Record<string, string>,
): Promise<AuthInstance> {
  const port = await freePort();
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
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      resolve();
    }),
  );
  try {
    await eventually(
      async () => {
        if (child.exitCode !== null) throw new Error(`auth exited: ${stderr}`);
        const ok = await fetch(`${url}/healthz`).then(
          (r) => r.ok,
          () => false,
        );
        return ok ? true : undefined;
      },
      45_000,
      'the test auth instance to start',
    );
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    url,
    stop: async () => {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
