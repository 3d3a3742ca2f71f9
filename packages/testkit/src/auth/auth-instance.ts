/**
 * A second auth instance started by a test, from this source tree, on a free port, sharing the
 * stack's auth database, Redis, Kafka, session and profile services: how a test runs auth with
 * settings the stack's instance does not have (Google pointed at a provider double, short
 * login-throttle windows).
 */
import { freePort } from '../free-port.js';
import { startServiceProcess } from '../service-process.js';
import { stack } from '../stack.js';
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
  const { stop } = await startServiceProcess({
    service: 'auth',
    port,
    what: 'the test auth instance',
    timeoutMs: 45_000,
    env: {
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
  });
  return { url, stop };
}
