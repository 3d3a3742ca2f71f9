/** A session service of a test's own: its own process and database, on the stack's servers. */
import { freePort } from '../free-port.js';
import { startServiceProcess } from '../service-process.js';
import { createTestDatabase, stack } from '../stack.js';

export interface SessionProcess {
  url: string;
  stop: () => Promise<void>;
}

/** Starts session on a fresh database with `env` added (e.g. a short key publish lead). */
export async function startSession(env: Record<string, string>): Promise<SessionProcess> {
  const database = await createTestDatabase('session_own');
  const port = await freePort();
  try {
    const session = await startServiceProcess({
      service: 'session',
      port,
      readyPath: '/readyz',
      what: 'the own session service',
      env: {
        DATABASE_URL: database.url,
        REDIS_URL: stack.redisUrl,
        KAFKA_BROKERS: stack.kafkaBrokers.join(','),
        // its own keys, not the stack's session's (scripts/stack/env.sh exports those)
        JWKS_URL: `http://127.0.0.1:${port}/.well-known/jwks.json`,
        LOG_LEVEL: 'warn',
        SHUTDOWN_TIMEOUT_MS: '5000',
        ...env,
      },
    });
    return {
      url: session.url,
      stop: async () => {
        await session.stop();
        await database.drop();
      },
    };
  } catch (error) {
    await database.drop();
    throw error;
  }
}
