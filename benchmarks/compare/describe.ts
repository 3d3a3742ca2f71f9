/** Figures as the harness prints them: one line per run as it ends, and the cells of the table. */
import { summarize } from '../delivery-latency/stats.js';
import type { Tally } from './ledger.js';
import type { IdleCpuRun, IdleRun } from './workloads/idle.js';
import type { Cost } from './workloads/measure.js';
import type { StormRun } from './workloads/storm.js';
import type { TrafficRun } from './workloads/traffic.js';

export function ms(value: number): string {
  if (!Number.isFinite(value)) return '-';
  return value < 10 ? value.toFixed(1) : Math.round(value).toLocaleString('en-US');
}

export function seconds(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(1)} s` : 'never';
}

export const load = (cost: Cost) =>
  `load ${cost.load[0].toFixed(1)}-${cost.load[1].toFixed(1)}${cost.restarted ? ', SERVERS RESTARTED DURING THE RUN' : ''}`;

export function latency(tally: Tally): string {
  const { p50, p99 } = summarize(tally.latencies);
  return `${ms(p50)} / ${ms(p99)} ms`;
}

export function counts(tally: Tally): string {
  return `lost ${tally.lost}, dup ${tally.duplicated}, out of order ${tally.outOfOrder}, late ${tally.late}, failed sends ${tally.failed}`;
}

/** Server CPU-seconds per 1,000 deliveries. */
export function cpuPerThousand(run: { tally: Tally; cost: Cost }): number {
  const deliveries = run.tally.latencies.length;
  return deliveries > 0 ? (1000 * run.cost.cpuSeconds) / deliveries : NaN;
}

/** Deliveries owed and made, with those of failed sends that arrived anyway. */
export function delivered(tally: Tally): string {
  const extra = tally.deliveredOfFailed > 0 ? ` (+${tally.deliveredOfFailed} of failed sends)` : '';
  return `delivered ${tally.delivered} of ${tally.expected}${extra}`;
}

export function describeTraffic(run: TrafficRun): string {
  const { tally } = run;
  return `sent ${tally.sent}, ${delivered(tally)}, ${counts(tally)}; p50 / p99 ${latency(tally)}; ${cpuPerThousand(run).toFixed(2)} CPU-s per 1,000 deliveries; ${load(run.cost)}`;
}

export const kib = (bytes: number) =>
  Number.isFinite(bytes) ? `${(bytes / 1024).toFixed(1)} KiB` : '-';

export function describeIdle(run: IdleRun): string {
  return `${run.connected} of ${run.sockets} connected in ${seconds(run.connectSeconds)}, ${kib(run.bytesPerSocket)} of server memory each; ${load(run.cost)}`;
}

export function describeQuiet(run: IdleCpuRun): string {
  return `${run.percentOfCore.toFixed(1)} % of one core with nobody connected; ${load(run.cost)}`;
}

export function describeStorm(run: StormRun): string {
  const errors = [...run.resumeErrors].map(([error, times]) => `${times}x ${error}`).join(', ');
  const back = run.back < run.devices ? ` (${run.back} by the deadline)` : '';
  const failures = errors ? `; failed attempts: ${errors}` : '';
  return `${run.devices} devices back in ${seconds(run.backSeconds)}${back}, synced in ${seconds(run.syncedSeconds)}; ${delivered(run.tally)}, ${counts(run.tally)}${failures}; ${load(run.cost)}`;
}
