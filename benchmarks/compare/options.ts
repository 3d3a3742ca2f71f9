/** The harness's options: `--name=value` on the command line, the defaults of a full run below. */
import { parseArgs } from 'node:util';
import { systemNames, type SystemName } from './systems/system.js';

export const workloadNames = ['quiet', 'rates', 'group', 'idle', 'storm', 'ramp'] as const;
export type WorkloadName = (typeof workloadNames)[number];

export interface Options {
  systems: SystemName[];
  workloads: WorkloadName[];
  /** Sender/recipient pairs of the 1:1 workloads. */
  pairs: number;
  /** Total messages per second of the fixed-rate 1:1 runs. */
  rates: number[];
  /** Seconds each fixed-rate run (and the group run) sends for. */
  seconds: number;
  rampStart: number;
  rampFactor: number;
  rampMax: number;
  rampSeconds: number;
  groupMembers: number;
  groupRate: number;
  /** Sizes of the idle-socket runs. */
  idle: number[];
  stormDevices: number;
  stormDeadlineSeconds: number;
  /** Seconds of the quiet spell over which idle CPU is measured. */
  quietSeconds: number;
  /** At most this long before each run, waiting for the system's CPU to fall back near quiet. */
  settleSeconds: number;
  /** Connects in flight at once while setting up devices. */
  concurrency: number;
  /** How long after the last ack a run waits for what is owed before counting it lost. */
  drainSeconds: number;
  /** A delivery later than this is late; a ramp step with p99 above it did not keep up. */
  lateMs: number;
}

const spec = {
  systems: { default: systemNames.join(',') },
  workloads: { default: workloadNames.join(',') },
  pairs: { default: '50' },
  rates: { default: '20,100' },
  seconds: { default: '20' },
  'ramp-start': { default: '50' },
  'ramp-factor': { default: '1.5' },
  'ramp-max': { default: '10000' },
  'ramp-seconds': { default: '10' },
  'group-members': { default: '100' },
  'group-rate': { default: '5' },
  idle: { default: '2000,10000' },
  'storm-devices': { default: '2000' },
  'storm-deadline-seconds': { default: '30' },
  'quiet-seconds': { default: '10' },
  'settle-seconds': { default: '60' },
  concurrency: { default: '100' },
  'drain-seconds': { default: '10' },
  'late-ms': { default: '1000' },
} as const;

export const usage = `options (defaults: a full run):\n${Object.entries(spec)
  .map(([name, { default: value }]) => `  --${name}=${value}`)
  .join('\n')}`;

function positive(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name}: not a positive number`);
  return value;
}

function names<T extends string>(option: string, text: string, known: readonly T[]): T[] {
  const chosen = text.split(',');
  for (const name of chosen)
    if (!(known as readonly string[]).includes(name))
      throw new Error(`--${option}: ${name} is not one of ${known.join(', ')}`);
  return chosen as T[];
}

const list = (name: string, text: string) => text.split(',').map((t) => positive(name, t));

export function parseOptions(args: string[]): Options {
  const { values } = parseArgs({
    args,
    strict: true,
    options: Object.fromEntries(
      Object.entries(spec).map(([name, { default: value }]) => [
        name,
        { type: 'string', default: value },
      ]),
    ),
  });
  const get = (name: keyof typeof spec) => String(values[name]);
  const num = (name: keyof typeof spec) => positive(name, get(name));
  const settleSeconds = Number(get('settle-seconds'));
  if (!Number.isFinite(settleSeconds) || settleSeconds < 0)
    throw new Error('--settle-seconds: not a number of seconds');
  const rampFactor = num('ramp-factor');
  if (rampFactor <= 1) throw new Error('--ramp-factor: must be above 1');
  return {
    systems: names('systems', get('systems'), systemNames),
    workloads: names('workloads', get('workloads'), workloadNames),
    pairs: num('pairs'),
    rates: list('rates', get('rates')),
    seconds: num('seconds'),
    rampStart: num('ramp-start'),
    rampFactor,
    rampMax: num('ramp-max'),
    rampSeconds: num('ramp-seconds'),
    groupMembers: num('group-members'),
    groupRate: num('group-rate'),
    idle: list('idle', get('idle')),
    stormDevices: num('storm-devices'),
    stormDeadlineSeconds: num('storm-deadline-seconds'),
    quietSeconds: num('quiet-seconds'),
    settleSeconds,
    concurrency: num('concurrency'),
    drainSeconds: num('drain-seconds'),
    lateMs: num('late-ms'),
  };
}
