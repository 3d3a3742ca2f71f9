/** 1:1 traffic over the pairs: at fixed rates, and a ramp until it no longer keeps up. */
import { connectPairs } from './pairs.js';
import { Books, traffic, type TrafficOptions, type TrafficRun } from './traffic.js';
import type { System } from '../systems/system.js';
import { summarize } from '../../delivery-latency/stats.js';

export interface OneToOneOptions extends TrafficOptions {
  pairs: number;
  seconds: number;
  concurrency: number;
}

/** A step keeps up when nothing was lost or refused and p99 stayed within the late bound. */
export function keptUp(run: TrafficRun, lateMs: number): boolean {
  const { tally } = run;
  return (
    tally.failed === 0 &&
    tally.lost === 0 &&
    tally.sent > 0 &&
    summarize(tally.latencies).p99 <= lateMs
  );
}

/** One fixed-rate run on freshly connected pairs. */
export async function oneToOne(
  system: System,
  rate: number,
  options: OneToOneOptions,
): Promise<TrafficRun> {
  const books = new Books();
  const pairs = await connectPairs(system, books, options.pairs, options.concurrency);
  try {
    return await traffic(
      system,
      books,
      pairs.senders,
      rate,
      Math.max(1, Math.round(rate * options.seconds)),
      options,
    );
  } finally {
    pairs.close();
  }
}

/** The rates of a ramp: from `start`, times `factor` each step, up to `max`. */
export function rampRates(start: number, factor: number, max: number): number[] {
  const rates: number[] = [];
  for (let rate = start; rate <= max; rate = Math.max(rate + 1, Math.round(rate * factor)))
    rates.push(rate);
  return rates;
}
