/** A session service of a test's own: its own process and database, on the stack's servers. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { eventually } from '../eventually.js';
import { freePort } from '../free-port.js';
import { repoRoot } from '../repo-root.js';
import { createTestDatabase, stack } from '../stack.js';

export interface SessionProcess {
  url: string;
  output: () => string;
  stop: () => Promise<void>;
}

/** Starts session on a fresh database with `env` added (e.g. a short key publish lead). */
export async function startSession(env: Record<string, string>): Promise<SessionProcess> {
  const database = await createTestDatabase('session_own');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', join(repoRoot, 'services/session/src/main.ts')],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        PORT: String(port),
        DATABASE_URL: database.url,
        REDIS_URL: stack.redisUrl,
        KAFKA_BROKERS: stack.kafkaBrokers.join(','),
        // its own keys, not the stack's session's (scripts/stack/env.sh exports those)
        JWKS_URL: `${url}/.well-known/jwks.json`,
        LOG_LEVEL: 'warn',
        SHUTDOWN_TIMEOUT_MS: '5000',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    await database.drop();
  };
  try {
    await eventually(
      async () => {
        if (child.exitCode !== null) throw new Error(`session exited:\n${output}`);
        const ready = await fetch(`${url}/readyz`).then(
          (response) => response.ok,
          () => false,
        );
        return ready || undefined;
      },
      60_000,
      'the own session service to be ready',
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, output: () => output, stop };
}
