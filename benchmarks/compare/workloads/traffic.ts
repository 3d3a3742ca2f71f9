/**
 * Open-loop traffic: messages go out on schedule whether or not earlier ones were acknowledged,
 * as users type regardless of the server's state; then the run waits for what is owed.
 */
import { Ledger, type Tally } from '../ledger.js';
import type { Client } from '../systems/system.js';
import { measured, sleep, waitFor, type Cost } from './measure.js';
import type { System } from '../systems/system.js';

/** A device that sends into one conversation, and the devices that should receive it. */
export interface Sender {
  client: Client;
  device: number;
  conversationId: string;
  recipients: number[];
}

export interface TrafficRun {
  rate: number;
  tally: Tally;
  cost: Cost;
}

export interface TrafficOptions {
  drainMs: number;
  lateMs: number;
}

/** Routes every device's receipts to the ledger of the run in progress. */
export class Books {
  current = new Ledger('warm-up');

  listen(clients: Client[], firstDevice = 0): void {
    for (const [i, client] of clients.entries())
      client.onReceive((_conversation, body) => {
        this.current.receive(firstDevice + i, body);
      });
  }
}

async function sendAtRate(ledger: Ledger, senders: Sender[], rate: number, count: number) {
  const start = performance.now();
  const acks: Promise<void>[] = [];
  for (let i = 0; i < count;) {
    const now = performance.now();
    for (; i < count && start + (i * 1000) / rate <= now; i += 1) {
      const sender = senders[i % senders.length];
      if (!sender) break;
      const body = ledger.send(sender.device, sender.recipients);
      acks.push(
        sender.client.send(sender.conversationId, body).then(
          () => {
            ledger.settle(body, true);
          },
          () => {
            ledger.settle(body, false);
          },
        ),
      );
    }
    await sleep(1);
  }
  await Promise.all(acks);
}

/** `count` messages at `rate` per second over all senders in turn, then the drain. */
export async function traffic(
  system: System,
  books: Books,
  senders: Sender[],
  rate: number,
  count: number,
  options: TrafficOptions,
): Promise<TrafficRun> {
  const ledger = new Ledger(`${system.name}-${rate}-${Date.now()}`);
  books.current = ledger;
  const [, cost] = await measured(system, async () => {
    await sendAtRate(ledger, senders, rate, count);
    await waitFor(() => ledger.owed() === 0, options.drainMs);
  });
  return { rate, tally: ledger.tally(options.lateMs), cost };
}
