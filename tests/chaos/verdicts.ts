/** What a chaos run must show, each with its figure and its bound. */
import type { Report } from './run.js';

export interface Verdict {
  what: string;
  value: number;
  limit: string;
  ok: boolean;
}

const atMost = (what: string, value: number, max: number): Verdict => ({
  what,
  value,
  limit: `<= ${max}`,
  ok: value <= max,
});

export interface Bounds {
  /** Live delivery is back within this many seconds of each fault's end. */
  recoverySeconds: number;
  /** Well-behaved clients' p99 under the flood against theirs without it; undefined: reported only. */
  floodP99Factor: number | undefined;
}

/** Issue 13's bounds, those of `make chaos`. */
export const issueBounds: Bounds = { recoverySeconds: 10, floodP99Factor: 2 };

export function verdicts(report: Report, bounds: Bounds): Verdict[] {
  const s = report.settlement;
  const { baselineP99, floodP99 } = report.latency;
  return [
    atMost('acknowledged messages lost from the store', s.lostFromStore, 0),
    atMost('acknowledged messages a member device never got', s.lostAtDevices, 0),
    atMost('duplicates seen by a client (one send, two messages)', s.duplicates, 0),
    atMost('retries with the same clientMsgId answering another message', s.retryMismatches, 0),
    atMost('seq gaps in the stored histories', s.seqGapsInStore, 0),
    atMost('seq gaps in what devices hold', s.seqGapsAtDevices, 0),
    atMost('two messages at one (chat, seq) on a device', s.seqConflicts, 0),
    atMost('well-formed sends refused with a 4xx', s.rejected, 0),
    { what: 'sends acknowledged', value: s.acked, limit: '> 0', ok: s.acked > 0 },
    {
      what: 'flood events answered rate_limited',
      value: report.flood['rateLimited'] ?? 0,
      limit: '> 0',
      ok: (report.flood['rateLimited'] ?? 0) > 0,
    },
    ...report.recoveries.map((r) =>
      atMost(`seconds to full live delivery after ${r.fault}`, r.seconds, bounds.recoverySeconds),
    ),
    ...(bounds.floodP99Factor === undefined
      ? []
      : [
          {
            what: `p99 delivery ms under the flood (baseline p99 ${baselineP99.toFixed(0)} ms)`,
            value: floodP99,
            limit: `<= ${bounds.floodP99Factor}x baseline`,
            ok: floodP99 <= bounds.floodP99Factor * baselineP99,
          },
        ]),
  ];
}

export function describe(report: Report, bounds: Bounds): string {
  const s = report.settlement;
  const lines = [
    `chaos run "${report.profile}" in ${report.durationSeconds.toFixed(0)} s: ${s.sends} sends, ` +
      `${s.acked} acknowledged, ${s.unacked} never acknowledged (${s.storedButUnacked} of them ` +
      `stored), ${s.redeliveries} redeliveries absorbed by id, ${s.reconnects} reconnects, ` +
      `${s.syncFailures} failed sync attempts`,
    `latency p50/p99 ms: baseline ${report.latency.baselineP50.toFixed(0)}/${report.latency.baselineP99.toFixed(0)}, ` +
      `under flood ${report.latency.floodP50.toFixed(0)}/${report.latency.floodP99.toFixed(0)}; ` +
      `flood ${JSON.stringify(report.flood)}`,
    `last errors of retried sends: ${JSON.stringify(s.errorsSeen)}`,
    ...verdicts(report, bounds).map(
      (v) =>
        `${v.ok ? 'ok  ' : 'FAIL'} ${v.what}: ${Number.isFinite(v.value) ? +v.value.toFixed(2) : v.value} (${v.limit})`,
    ),
  ];
  return lines.join('\n');
}
