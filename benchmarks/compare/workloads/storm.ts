/**
 * A reconnect storm: many devices of the pairs' users drop at once; while they are away every
 * pair's first member sends one message to the second and the second one to the first; then all
 * come back at once, retrying with backoff as apps do. Measured: the time until every device is connected
 * again and has what it missed (a system without history never gets there), then one more live
 * message per sender, and what was lost or duplicated over both.
 */
import { inBatches } from '../batches.js';
import { Ledger, type Tally } from '../ledger.js';
import type { Client, System } from '../systems/system.js';
import { measured, sleep, waitFor, type Cost } from './measure.js';
import { connectPairs } from './pairs.js';
import { Books, type Sender, type TrafficOptions } from './traffic.js';

export interface StormOptions extends TrafficOptions {
  devices: number;
  pairs: number;
  concurrency: number;
  deadlineMs: number;
}

export interface StormRun {
  devices: number;
  /** Until every dropped device was connected again, seconds (NaN: not by the deadline). */
  backSeconds: number;
  /** Devices connected again by the deadline. */
  back: number;
  /** Why attempts to come back failed, and how often. */
  resumeErrors: Map<string, number>;
  /** Until every dropped device also had what it missed, seconds (NaN: not by the deadline). */
  syncedSeconds: number;
  tally: Tally;
  cost: Cost;
}

/** Retries back off as Socket.IO's own client does: doubling from 250 ms up to 5 s, jittered. */
const FIRST_RETRY_MS = 250;
const LAST_RETRY_MS = 5_000;

/** Resumes until it works or the deadline passes; counts the errors of failed attempts. */
async function resumeUntil(
  client: Client,
  deadline: number,
  errors: Map<string, number>,
): Promise<boolean> {
  for (let attempt = 0; performance.now() < deadline; attempt += 1) {
    try {
      await client.resume();
      return true;
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      errors.set(text, (errors.get(text) ?? 0) + 1);
      const delay = Math.min(LAST_RETRY_MS, FIRST_RETRY_MS * 2 ** attempt);
      await sleep(delay * (0.5 + Math.random()));
    }
  }
  return false;
}

async function sendAll(ledger: Ledger, senders: Sender[]): Promise<void> {
  await Promise.all(
    senders.map(async (sender) => {
      const body = ledger.send(sender.device, sender.recipients);
      await sender.client.send(sender.conversationId, body).then(
        () => {
          ledger.settle(body, true);
        },
        () => {
          ledger.settle(body, false);
        },
      );
    }),
  );
}

export async function storm(system: System, options: StormOptions): Promise<StormRun> {
  const books = new Books();
  const pairs = await connectPairs(system, books, options.pairs, options.concurrency);
  const owners = pairs.clients.length;
  const stormers = await inBatches(options.concurrency, options.devices, (j) => {
    const owner = pairs.clients[j % owners] as Client;
    const conversation = pairs.conversations[(j % owners) >> 1];
    return system.connect(owner.identity, conversation ? [conversation] : []);
  });
  books.listen(stormers, owners);
  const stormDevices = new Set(stormers.map((_, j) => owners + j));
  // Every device of the other member of the pair, the stable one and the stormers.
  const devicesOf = (pairDevice: number) => [
    pairDevice,
    ...[...stormDevices].filter((d) => (d - owners) % owners === pairDevice),
  ];
  const senders: Sender[] = pairs.clients.map((client, device) => ({
    client,
    device,
    conversationId: pairs.conversations[device >> 1]?.id ?? '',
    recipients: devicesOf(device ^ 1),
  }));
  const ledger = new Ledger(`${system.name}-storm-${Date.now()}`);
  books.current = ledger;
  try {
    for (const client of stormers) client.drop();
    await sleep(500);
    await sendAll(ledger, senders);
    let backSeconds = NaN;
    let backCount = 0;
    const resumeErrors = new Map<string, number>();
    let syncedSeconds = NaN;
    const [, cost] = await measured(system, async () => {
      const start = performance.now();
      const deadline = start + options.deadlineMs;
      const back = await Promise.all(stormers.map((c) => resumeUntil(c, deadline, resumeErrors)));
      backCount = back.filter(Boolean).length;
      if (backCount === stormers.length) backSeconds = (performance.now() - start) / 1000;
      const synced = await waitFor(
        () => ledger.reached(stormDevices),
        Math.max(0, deadline - performance.now()),
      );
      if (synced) syncedSeconds = (performance.now() - start) / 1000;
      await sendAll(ledger, senders);
      await waitFor(() => ledger.owed() === 0, options.drainMs);
    });
    return {
      devices: stormers.length,
      backSeconds,
      back: backCount,
      resumeErrors,
      syncedSeconds,
      tally: ledger.tally(options.lateMs),
      cost,
    };
  } finally {
    for (const client of stormers) client.close();
    pairs.close();
  }
}
