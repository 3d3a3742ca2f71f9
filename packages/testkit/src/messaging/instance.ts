/** A messaging instance of a test's own, so the test may crash it without touching the stack's. */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { eventually } from '../eventually.js';
import { repoRoot } from '../repo-root.js';

export interface OwnInstance {
  url: string;
  /** SIGKILL: no graceful shutdown, as in a crash. */
  crash: () => Promise<void>;
  stop: () => Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (typeof address !== 'object' || !address) throw new Error('no free port');
  return address.port;
}

export async function startInstance(env: Record<string, string> = {}): Promise<OwnInstance> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', 'services/messaging/src/main.ts'],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        PORT: String(port),
        INSTANCE_ID: `test-${port}`,
        LOG_LEVEL: 'warn',
        ...env,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      resolve();
    }),
  );
  const kill = async (signal: NodeJS.Signals): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  await eventually(
    async () => {
      if (child.exitCode !== null) throw new Error(`instance exited with ${child.exitCode}`);
      const ready = await fetch(`${url}/readyz`).catch(() => undefined);
      return ready?.ok ? true : undefined;
    },
    60_000,
    'the test instance to be ready',
  );
  return { url, crash: () => kill('SIGKILL'), stop: () => kill('SIGTERM') };
}
