/** What one run of a workload cost its system: server CPU-seconds, wall time, load average. */
import { loadavg } from 'node:os';
import { cpuSeconds } from '../processes.js';
import type { System } from '../systems/system.js';

export interface Cost {
  cpuSeconds: number;
  seconds: number;
  /** The one-minute load average when the run started and when it ended. */
  load: [number, number];
  /** A server process of the system was replaced during the run (its figures are not its own). */
  restarted: boolean;
}

export async function measured<T>(system: System, run: () => Promise<T>): Promise<[T, Cost]> {
  const pids = system.serverPids();
  const loadBefore = loadavg()[0] ?? 0;
  const cpuBefore = cpuSeconds(pids);
  const start = performance.now();
  const result = await run();
  const seconds = (performance.now() - start) / 1000;
  const pidsAfter = new Set(system.serverPids());
  const cost: Cost = {
    cpuSeconds: cpuSeconds(pids) - cpuBefore,
    seconds,
    load: [loadBefore, loadavg()[0] ?? 0],
    restarted: pids.length !== pidsAfter.size || pids.some((pid) => !pidsAfter.has(pid)),
  };
  return [result, cost];
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `done` holds or `timeoutMs` passed; whether it held. */
export async function waitFor(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!done()) {
    if (performance.now() >= deadline) return false;
    await sleep(20);
  }
  return true;
}
