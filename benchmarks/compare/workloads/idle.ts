/**
 * Idle authenticated sockets: the server memory each one holds (resident memory of every server
 * process of the system, before and after) and how long connecting them takes; and what the
 * system burns with nobody connected.
 */
import { inBatches } from '../batches.js';
import { rssBytes } from '../processes.js';
import type { Client, System } from '../systems/system.js';
import { measured, sleep, type Cost } from './measure.js';

/** Users the sockets belong to, in turn (each user has sockets / IDENTITIES devices). */
const IDENTITIES = 100;
/** Time for the servers to finish the work a connect starts (presence, subscriptions). */
const SETTLE_MS = 2_000;

export interface IdleRun {
  sockets: number;
  connected: number;
  connectSeconds: number;
  bytesPerSocket: number;
  cost: Cost;
}

export async function idleSockets(
  system: System,
  sockets: number,
  concurrency: number,
): Promise<IdleRun> {
  const identities = await system.identities(Math.min(IDENTITIES, sockets));
  const pids = system.serverPids();
  const before = rssBytes(pids);
  const clients: (Client | undefined)[] = [];
  const [connectSeconds, cost] = await measured(system, async () => {
    const start = performance.now();
    clients.push(
      ...(await inBatches(concurrency, sockets, (i) =>
        system.connect(identities[i % identities.length] ?? { id: '' }, []).catch(() => undefined),
      )),
    );
    return (performance.now() - start) / 1000;
  });
  await sleep(SETTLE_MS);
  const connected = clients.filter((c) => c !== undefined);
  const after = rssBytes(pids);
  for (const client of connected) client.close();
  await sleep(SETTLE_MS);
  return {
    sockets,
    connected: connected.length,
    connectSeconds,
    bytesPerSocket: connected.length > 0 ? (after - before) / connected.length : NaN,
    cost,
  };
}

export interface IdleCpuRun {
  /** Server CPU time over the quiet spell, in percent of one core. */
  percentOfCore: number;
  cost: Cost;
}

export async function idleCpu(system: System, seconds: number): Promise<IdleCpuRun> {
  const [, cost] = await measured(system, () => sleep(seconds * 1000));
  return { percentOfCore: (100 * cost.cpuSeconds) / cost.seconds, cost };
}

/** A window the servers are watched over while settling. */
const SETTLE_WINDOW_SECONDS = 2;

/**
 * Waits, at most `maxSeconds`, until the system's servers burn no more than a little over their
 * quiet CPU: a run that left a backlog (sends it timed out on, deliveries still queued) would
 * otherwise slow down the next run, of this system and of the others. Returns the seconds waited.
 */
export async function settle(
  system: System,
  quietPercent: number,
  maxSeconds: number,
): Promise<number> {
  const start = performance.now();
  const bound = quietPercent * 1.5 + 10;
  while ((performance.now() - start) / 1000 < maxSeconds) {
    const window = await idleCpu(system, SETTLE_WINDOW_SECONDS);
    if (window.percentOfCore <= bound) break;
  }
  return (performance.now() - start) / 1000;
}
