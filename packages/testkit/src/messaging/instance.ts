/** A messaging instance of a test's own, so the test may crash it without touching the stack's. */
import { freePort } from '../free-port.js';
import { startServiceProcess } from '../service-process.js';

export interface OwnInstance {
  url: string;
  /** SIGKILL: no graceful shutdown, as in a crash. */
  crash: () => Promise<void>;
  stop: () => Promise<void>;
}

export async function startInstance(env: Record<string, string> = {}): Promise<OwnInstance> {
  const port = await freePort();
  const instance = await startServiceProcess({
    service: 'messaging',
    port,
    readyPath: '/readyz',
    what: 'the test messaging instance',
    env: { INSTANCE_ID: `test-${port}`, LOG_LEVEL: 'warn', ...env },
  });
  return {
    url: instance.url,
    crash: () => instance.stop('SIGKILL'),
    stop: instance.stop,
  };
}
