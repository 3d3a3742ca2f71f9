import type { ChildProcess } from 'node:child_process';
import { eventually } from './eventually.js';

/**
 * Waits until a service process a test started answers `GET <url>/healthz`, and answers how to
 * stop it (SIGTERM, SIGKILL after 15 s). A process that exits first or stays unhealthy past
 * `timeoutMs` fails the wait and is killed; `exitDetail` adds what it said (e.g. its stderr).
 */
export async function whenHealthy(
  child: ChildProcess,
  url: string,
  what: string,
  timeoutMs: number,
  exitDetail: () => string = () => '',
): Promise<() => Promise<void>> {
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      resolve();
    }),
  );
  try {
    await eventually(
      async () => {
        if (child.exitCode !== null)
          throw new Error(`${what} exited with ${child.exitCode}: ${exitDetail()}`);
        const ok = await fetch(`${url}/healthz`).then(
          (response) => response.ok,
          () => false,
        );
        return ok ? true : undefined;
      },
      timeoutMs,
      `${what} to start`,
    );
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  };
}
