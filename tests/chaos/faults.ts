/**
 * The faults of a run, each injected into the stack's own processes (stack-faults.ts). A fault
 * resolves once it is over, at the moment from which live delivery should come back: a killed
 * or wedged instance at once (the other instance takes over), a stopped server once it answers
 * again.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  signal,
  startInstance,
  startServer,
  waitForExit,
  type InstanceName,
  type ServerName,
} from './stack-faults.js';

export type FaultName =
  | 'messaging-2 SIGKILL'
  | 'messaging-2 restart'
  | 'messaging-2 wedged 15 s'
  | 'kafka stopped 20 s'
  | 'kafka stopped 5 s'
  | 'redis paused 5 s'
  | 'redis paused 3 s'
  | 'ferretdb restart'
  | 'postgres restart';

const victim: InstanceName = 'messaging-2';

async function stopFor(name: ServerName, sig: NodeJS.Signals, downMs: number): Promise<void> {
  const stoppedAt = Date.now();
  await waitForExit(signal(name, sig), 60_000);
  await sleep(Math.max(0, downMs - (Date.now() - stoppedAt)));
  await startServer(name);
}

async function pause(name: ServerName, ms: number): Promise<void> {
  signal(name, 'SIGSTOP');
  try {
    await sleep(ms);
  } finally {
    signal(name, 'SIGCONT');
  }
}

export const faults: Record<FaultName, () => Promise<void>> = {
  'messaging-2 SIGKILL': async () => {
    await waitForExit(signal(victim, 'SIGKILL'), 10_000);
  },
  'messaging-2 restart': () => startInstance(victim),
  // Its event loop stops (SIGSTOP): the gateway moves its sockets once its /readyz stops
  // answering, and the group hands its partitions over after the session timeout.
  'messaging-2 wedged 15 s': () => {
    signal(victim, 'SIGSTOP');
    setTimeout(() => signal(victim, 'SIGCONT'), 15_000);
    return Promise.resolve();
  },
  'kafka stopped 20 s': () => stopFor('kafka', 'SIGTERM', 20_000),
  'kafka stopped 5 s': () => stopFor('kafka', 'SIGTERM', 5_000),
  'redis paused 5 s': () => pause('redis', 5_000),
  'redis paused 3 s': () => pause('redis', 3_000),
  'ferretdb restart': () => stopFor('mongo', 'SIGTERM', 0),
  // SIGINT is PostgreSQL's fast shutdown: open sessions are ended, not waited for.
  'postgres restart': () => stopFor('postgres', 'SIGINT', 0),
};
