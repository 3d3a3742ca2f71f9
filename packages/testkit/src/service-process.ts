/**
 * A service of a test's own: `services/<service>/src/main.ts` from this source tree, run as its
 * own process on a port of its own, so a test can give it settings the stack's instance does not
 * have, or crash it without touching the stack's.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { eventually } from './eventually.js';
import { freePort } from './free-port.js';
import { repoRoot } from './repo-root.js';

export interface ServiceProcessOptions {
  /** The folder under `services/`. */
  service: string;
  /** Added to the test's own environment; PORT is set here. */
  env: Record<string, string>;
  /** One the caller took from `freePort` (e.g. to name the address in `env`); else a free one. */
  port?: number;
  /** The path that answers 2xx once the process serves (`/readyz` waits for its backends too). */
  readyPath?: '/healthz' | '/readyz';
  timeoutMs?: number;
  /** How errors name it, e.g. "the test auth instance". */
  what?: string;
}

export interface ServiceProcess {
  url: string;
  port: number;
  /** Sends `signal` (SIGKILL is a crash: no graceful shutdown), SIGKILL after 15 s; waits for the exit. */
  stop: (signal?: NodeJS.Signals) => Promise<void>;
}

/** What a process wrote last (stdout and stderr), for the error when it does not come up. */
const KEPT_OUTPUT = 16_384;

/**
 * Starts the service and waits until `GET <url><readyPath>` answers 2xx. A process that exits
 * first, or is not ready within `timeoutMs`, is killed (a late starter must not outlive its test)
 * and the start fails with the last of its output.
 */
export async function startServiceProcess(options: ServiceProcessOptions): Promise<ServiceProcess> {
  const { service, readyPath = '/healthz', timeoutMs = 60_000 } = options;
  const what = options.what ?? `the test's ${service} process`;
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', join('services', service, 'src', 'main.ts')],
    {
      cwd: repoRoot,
      env: { ...process.env, ...options.env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-KEPT_OUTPUT);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      resolve();
    }),
  );
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await eventually(async () => {
      if (child.exitCode !== null)
        throw new Error(`${what} exited with ${child.exitCode}:\n${output}`);
      const ok = await fetch(`${url}${readyPath}`).then(
        (response) => response.ok,
        () => false,
      );
      return ok ? true : undefined;
    }, timeoutMs);
  } catch (error) {
    const exitedFirst = child.exitCode !== null;
    await stop('SIGKILL');
    if (exitedFirst) throw error;
    throw new Error(`${what} did not answer ${readyPath} within ${timeoutMs} ms:\n${output}`, {
      cause: error,
    });
  }
  return { url, port, stop };
}
