/**
 * Runs every workload against every system, interleaved: each workload runs on all systems
 * before the next starts, in an order that rotates, so a change in the machine's load spreads
 * over the systems instead of landing on one.
 */
import type { Options } from './options.js';
import { describeIdle, describeQuiet, describeStorm, describeTraffic } from './describe.js';
import { centrifugoSystem } from './systems/centrifugo.js';
import { platformSystem } from './systems/platform.js';
import { relaySystem } from './systems/relay.js';
import type { System, SystemName } from './systems/system.js';
import { group } from './workloads/group.js';
import { idleCpu, idleSockets, settle, type IdleCpuRun, type IdleRun } from './workloads/idle.js';
import { keptUp, oneToOne, rampRates, type OneToOneOptions } from './workloads/one-to-one.js';
import { storm, type StormRun } from './workloads/storm.js';
import type { TrafficRun } from './workloads/traffic.js';

export interface SystemResults {
  quiet?: IdleCpuRun;
  rates: Map<number, TrafficRun>;
  ramp: TrafficRun[];
  /** The highest ramp rate that kept up (0: none did). */
  highestRate?: number;
  group?: TrafficRun;
  idle: Map<number, IdleRun>;
  storm?: StormRun;
  /** Workloads that failed to run, with the error. */
  errors: string[];
}

export type Results = Map<SystemName, SystemResults>;

const makers: Record<SystemName, () => System> = {
  platform: platformSystem,
  relay: relaySystem,
  centrifugo: centrifugoSystem,
};

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

function rotate<T>(items: T[], by: number): T[] {
  const shift = by % Math.max(1, items.length);
  return [...items.slice(shift), ...items.slice(0, shift)];
}

export async function runBench(options: Options, log: (line: string) => void): Promise<Results> {
  const systems = options.systems.map((name) => makers[name]());
  const results: Results = new Map(
    systems.map((s) => [s.name, { rates: new Map(), ramp: [], idle: new Map(), errors: [] }]),
  );
  const resultsOf = (system: System) => results.get(system.name) as SystemResults;
  const traffic = {
    drainMs: options.drainSeconds * 1000,
    lateMs: options.lateMs,
    concurrency: options.concurrency,
  };
  const oneToOneOptions: OneToOneOptions = {
    ...traffic,
    pairs: options.pairs,
    seconds: options.seconds,
  };
  let round = 0;
  async function interleaved(
    label: string,
    on: System[],
    run: (system: System, result: SystemResults) => Promise<string>,
  ): Promise<void> {
    for (const system of rotate(on, round)) {
      try {
        const quiet = resultsOf(system).quiet?.percentOfCore;
        const waited = quiet === undefined ? 0 : await settle(system, quiet, options.settleSeconds);
        const note = waited > 3 ? ` (after ${waited.toFixed(0)} s settling)` : '';
        log(`[${system.name}] ${label}${note}: ${await run(system, resultsOf(system))}`);
      } catch (error) {
        const message = `${label}: ${errorText(error)}`;
        resultsOf(system).errors.push(message);
        log(`[${system.name}] FAILED ${message}`);
      }
    }
    round += 1;
  }

  const started: System[] = [];
  try {
    for (const system of systems) {
      await system.start();
      started.push(system);
    }
    const chosen = new Set(options.workloads);
    if (chosen.has('quiet'))
      await interleaved(`quiet ${options.quietSeconds} s`, systems, async (system, result) => {
        result.quiet = await idleCpu(system, options.quietSeconds);
        return describeQuiet(result.quiet);
      });
    if (chosen.has('rates'))
      for (const rate of options.rates)
        await interleaved(`1:1 at ${rate} msg/s`, systems, async (system, result) => {
          const run = await oneToOne(system, rate, oneToOneOptions);
          result.rates.set(rate, run);
          return describeTraffic(run);
        });
    if (chosen.has('group'))
      await interleaved(
        `group of ${options.groupMembers} at ${options.groupRate} msg/s`,
        systems,
        async (system, result) => {
          result.group = await group(system, {
            ...traffic,
            members: options.groupMembers,
            rate: options.groupRate,
            seconds: options.seconds,
          });
          return describeTraffic(result.group);
        },
      );
    if (chosen.has('idle'))
      // Largest first: resident memory a run grows is not handed back when its sockets close, so
      // a later run starts higher and under-counts; the goal reads the largest run.
      for (const sockets of [...options.idle].sort((x, y) => y - x))
        await interleaved(`${sockets} idle sockets`, systems, async (system, result) => {
          const run = await idleSockets(system, sockets, options.concurrency);
          result.idle.set(sockets, run);
          return describeIdle(run);
        });
    if (chosen.has('storm'))
      await interleaved(
        `reconnect storm of ${options.stormDevices}`,
        systems,
        async (system, result) => {
          result.storm = await storm(system, {
            ...traffic,
            devices: options.stormDevices,
            pairs: options.pairs,
            deadlineMs: options.stormDeadlineSeconds * 1000,
          });
          return describeStorm(result.storm);
        },
      );
    // Last: a system past its limit may stay busy for a while with what it could not deliver.
    let ramping = chosen.has('ramp') ? [...systems] : [];
    for (const s of ramping) resultsOf(s).highestRate = 0;
    for (const rate of rampRates(options.rampStart, options.rampFactor, options.rampMax)) {
      if (ramping.length === 0) break;
      const stopped = new Set<System>();
      await interleaved(`ramp at ${rate} msg/s`, ramping, async (system, result) => {
        const run = await oneToOne(system, rate, {
          ...oneToOneOptions,
          seconds: options.rampSeconds,
        });
        result.ramp.push(run);
        if (keptUp(run, options.lateMs)) result.highestRate = rate;
        else stopped.add(system);
        return `${describeTraffic(run)}${stopped.has(system) ? ' -- did not keep up' : ''}`;
      });
      ramping = ramping.filter((s) => !stopped.has(s) && resultsOf(s).highestRate === rate);
    }
  } finally {
    for (const system of started) {
      await system.cleanup().catch((error: unknown) => {
        log(`[${system.name}] cleanup: ${errorText(error)}`);
      });
      await system.stop();
    }
  }
  return results;
}
