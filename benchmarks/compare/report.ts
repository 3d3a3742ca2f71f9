/** The table of a run (Markdown, systems side by side) and, last, one line per goal of issue 17. */
import { summarize } from '../delivery-latency/stats.js';
import type { Results, SystemResults } from './bench.js';
import { counts, cpuPerThousand, delivered, kib, latency, load, ms, seconds } from './describe.js';
import type { Options } from './options.js';
import type { SystemName } from './systems/system.js';
import type { TrafficRun } from './workloads/traffic.js';

type Cell = (result: SystemResults) => string | undefined;

const withLoad = (text: string, run: { cost: Parameters<typeof load>[0] }) =>
  `${text} (${load(run.cost)})`;

function rows(options: Options): [string, Cell][] {
  const traffic = (label: string, pick: (r: SystemResults) => TrafficRun | undefined) =>
    [
      [
        `${label}: send -> receive p50 / p99`,
        (r) => {
          const run = pick(r);
          return run && withLoad(latency(run.tally), run);
        },
      ],
      [
        `${label}: delivered, lost, dup, out of order, late, failed`,
        (r) => {
          const run = pick(r);
          return run && `${delivered(run.tally)}; ${counts(run.tally)}`;
        },
      ],
      [
        `${label}: server CPU-s per 1,000 deliveries`,
        (r) => {
          const run = pick(r);
          return run && cpuPerThousand(run).toFixed(2);
        },
      ],
    ] as [string, Cell][];
  return [
    [
      `nobody connected: server CPU, % of one core (${options.quietSeconds} s)`,
      (r) => r.quiet && withLoad(`${r.quiet.percentOfCore.toFixed(1)} %`, r.quiet),
    ],
    ...options.rates.flatMap((rate) =>
      traffic(`1:1 at ${rate} msg/s, ${options.pairs} pairs`, (r) => r.rates.get(rate)),
    ),
    [
      `highest sustained 1:1 rate (p99 <= ${options.lateMs} ms, nothing lost), msg/s`,
      (r) => {
        if (r.highestRate === undefined) return undefined;
        const last = r.ramp.at(-1);
        const capped = last?.rate === r.highestRate;
        if (r.highestRate === 0) return `below ${options.rampStart}`;
        return `${capped ? '>= ' : ''}${r.highestRate}${last ? ` (${load(last.cost)})` : ''}`;
      },
    ],
    ...traffic(
      `group of ${options.groupMembers} at ${options.groupRate} msg/s, per delivery`,
      (r) => r.group,
    ),
    ...options.idle.flatMap(
      (sockets) =>
        [
          [
            `${sockets} idle sockets: server memory per socket`,
            (r) => {
              const run = r.idle.get(sockets);
              return run && withLoad(kib(run.bytesPerSocket), run);
            },
          ],
          [
            `${sockets} idle sockets: connected in`,
            (r) => {
              const run = r.idle.get(sockets);
              if (!run) return undefined;
              const missing = run.sockets - run.connected;
              return `${seconds(run.connectSeconds)}${missing > 0 ? ` (${missing} refused)` : ''}`;
            },
          ],
        ] as [string, Cell][],
    ),
    [
      `reconnect storm of ${options.stormDevices}: back / synced`,
      (r) =>
        r.storm &&
        withLoad(
          `${seconds(r.storm.backSeconds)}${r.storm.back < r.storm.devices ? ` (${r.storm.back} back)` : ''} / ${seconds(r.storm.syncedSeconds)}`,
          r.storm,
        ),
    ],
    [
      `reconnect storm: delivered, lost, dup, out of order`,
      (r) =>
        r.storm &&
        `${delivered(r.storm.tally)}; lost ${r.storm.tally.lost}, dup ${r.storm.tally.duplicated}, out of order ${r.storm.tally.outOfOrder}`,
    ],
  ];
}

export function table(options: Options, results: Results): string[] {
  const names = [...results.keys()];
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [
    line(['', ...names]),
    line(['---', ...names.map(() => '---')]),
    ...rows(options).map(([label, cell]) =>
      line([label, ...names.map((name) => cell(results.get(name) as SystemResults) ?? '-')]),
    ),
  ];
}

interface Verdict {
  figures: string;
  ratio?: number;
  met: boolean;
}

/** The goals of issue 17 item 2, for the platform, next to the peer each is measured against. */
export function goals(options: Options, results: Results): string[] {
  const of = (name: SystemName) => results.get(name);
  const rate = options.rates.includes(100) ? 100 : Math.max(...options.rates);
  const p = (run: TrafficRun | undefined, q: 'p50' | 'p99') =>
    run ? summarize(run.tally.latencies)[q] : NaN;
  const atRate = (name: SystemName) => of(name)?.rates.get(rate);
  const largestIdle = Math.max(...options.idle);
  const connectSize = options.idle.includes(2000) ? 2000 : Math.min(...options.idle);
  const latencyGoal = (
    q: 'p50' | 'p99',
    bound: number,
    run: (n: SystemName) => TrafficRun | undefined,
  ): Verdict => {
    const mine = p(run('platform'), q);
    const theirs = p(run('centrifugo'), q);
    return {
      figures: `platform ${ms(mine)} ms, centrifugo ${ms(theirs)} ms`,
      ratio: mine / theirs,
      met: mine <= bound,
    };
  };
  const list: [string, () => Verdict][] = [
    [
      `1:1 at ${rate} msg/s over ${options.pairs} pairs, nothing late or lost`,
      () => {
        const t = atRate('platform')?.tally;
        return {
          figures: t
            ? `platform late ${t.late}, lost ${t.lost}, failed sends ${t.failed}`
            : 'platform -',
          met: t !== undefined && t.sent > 0 && t.late + t.lost + t.failed === 0,
        };
      },
    ],
    [`p50<=25ms @${rate}msg/s`, () => latencyGoal('p50', 25, atRate)],
    [`p99<=100ms @${rate}msg/s`, () => latencyGoal('p99', 100, atRate)],
    [
      `p50 within 10x of centrifugo's @${rate}msg/s`,
      () => {
        const verdict = latencyGoal('p50', Infinity, atRate);
        return { ...verdict, met: (verdict.ratio ?? Infinity) <= 10 };
      },
    ],
    [
      "highest sustained 1:1 rate >= 500 msg/s (a quarter of the peers')",
      () => {
        const mine = of('platform')?.highestRate ?? NaN;
        const best = Math.max(
          of('relay')?.highestRate ?? NaN,
          of('centrifugo')?.highestRate ?? NaN,
        );
        return {
          figures: `platform ${mine}, relay ${of('relay')?.highestRate ?? '-'}, centrifugo ${of('centrifugo')?.highestRate ?? '-'} msg/s`,
          ratio: best / mine,
          met: mine >= 500,
        };
      },
    ],
    [
      `CPU per delivery <= 10x the bare relay's @${rate}msg/s`,
      () => {
        const cpuOf = (name: SystemName) => {
          const run = atRate(name);
          return run ? cpuPerThousand(run) : NaN;
        };
        const mine = cpuOf('platform');
        const theirs = cpuOf('relay');
        return {
          figures: `platform ${mine.toFixed(2)}, relay ${theirs.toFixed(2)} CPU-s per 1,000 deliveries`,
          ratio: mine / theirs,
          met: mine / theirs <= 10,
        };
      },
    ],
    [
      `group of ${options.groupMembers} @${options.groupRate}msg/s per-delivery p99<=150ms`,
      () => latencyGoal('p99', 150, (n) => of(n)?.group),
    ],
    [
      `memory per idle socket (${largestIdle}) <= 1.5x the bare relay's`,
      () => {
        const mine = of('platform')?.idle.get(largestIdle)?.bytesPerSocket ?? NaN;
        const theirs = of('relay')?.idle.get(largestIdle)?.bytesPerSocket ?? NaN;
        return {
          figures: `platform ${kib(mine)}, relay ${kib(theirs)}`,
          ratio: mine / theirs,
          met: mine / theirs <= 1.5,
        };
      },
    ],
    [
      `${connectSize} sockets connect within 2x the bare relay's time`,
      () => {
        const mine = of('platform')?.idle.get(connectSize);
        const theirs = of('relay')?.idle.get(connectSize);
        const ratio = (mine?.connectSeconds ?? NaN) / (theirs?.connectSeconds ?? NaN);
        return {
          figures: `platform ${seconds(mine?.connectSeconds ?? NaN)}, relay ${seconds(theirs?.connectSeconds ?? NaN)}`,
          ratio,
          met: ratio <= 2 && mine?.connected === mine?.sockets,
        };
      },
    ],
    [
      'an idle stack uses under 5 % of one core',
      () => {
        const mine = of('platform')?.quiet?.percentOfCore ?? NaN;
        const theirs = of('relay')?.quiet?.percentOfCore ?? NaN;
        return {
          figures: `platform ${mine.toFixed(1)} %, relay ${theirs.toFixed(1)} %`,
          ratio: mine / theirs,
          met: mine < 5,
        };
      },
    ],
  ];
  const platformRan = results.has('platform');
  return list.map(([goal, verdict]) => {
    const { figures, ratio, met } = verdict();
    const times =
      ratio === undefined ? '' : ` -> ratio ${Number.isFinite(ratio) ? ratio.toFixed(1) : '-'}x`;
    const outcome = !platformRan ? 'NOT MEASURED' : met ? 'MET' : 'MISSED';
    return `goal ${goal}: ${figures}${times}  ${outcome}`;
  });
}
