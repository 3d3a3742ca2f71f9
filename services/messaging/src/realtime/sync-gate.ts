import { RetryLater } from './acks.js';

/** How often the throughput behind `retryAfterMs` is updated, and how much each update weighs. */
const RATE_WINDOW_MS = 1_000;
const RATE_WEIGHT = 0.5;
/** `retryAfterMs` bounds: never a hammering retry, never a device left waiting for long. */
const MIN_RETRY_MS = 250;
const MAX_RETRY_MS = 15_000;

export interface SyncGateLimits {
  /** Syncs running at once on this instance. */
  running: number;
  /** Syncs waiting for a turn; one more is refused at once. */
  waiting: number;
  /** A sync that waited this long without a turn is refused, before it would time out. */
  maxWaitMs: number;
}

/**
 * Admits an instance's syncs a few at a time. A reconnect storm (every client of a restarted
 * pod syncing at once) would otherwise start thousands of syncs together: each would wait
 * on the store's pool past its ack timeout, every client would retry while the first attempts
 * still ran, and the instance would never catch up. Here a sync either gets a turn soon, or is
 * refused at once, without work, with a `retryAfterMs` from the instance's recent pace and the
 * queue ahead of it, spread by jitter so the retries do not arrive together again.
 */
export class SyncGate {
  private runningNow = 0;
  private readonly queue: { start: () => void; timer: NodeJS.Timeout }[] = [];
  private done = 0;
  private windowStart = Date.now();
  /** Syncs finished per second, smoothed; until measured, one per running slot. */
  private pace: number;

  constructor(private readonly limits: SyncGateLimits) {
    this.pace = limits.running;
  }

  /** Runs `sync` when it gets a turn; throws RetryLater when it gets none in time. */
  async run<T>(sync: () => Promise<T>): Promise<T> {
    await this.turn();
    try {
      return await sync();
    } finally {
      this.finish();
    }
  }

  private turn(): Promise<void> {
    if (this.runningNow < this.limits.running) {
      this.runningNow += 1;
      return Promise.resolve();
    }
    if (this.queue.length >= this.limits.waiting)
      return Promise.reject(new RetryLater(this.retryAfterMs(), 'the syncs of this server'));
    return new Promise((resolve, reject) => {
      const entry = {
        start: () => {
          clearTimeout(entry.timer);
          resolve();
        },
        timer: setTimeout(() => {
          this.queue.splice(this.queue.indexOf(entry), 1);
          reject(new RetryLater(this.retryAfterMs(), 'the syncs of this server'));
        }, this.limits.maxWaitMs),
      };
      this.queue.push(entry);
    });
  }

  private finish(): void {
    this.countDone();
    const next = this.queue.shift();
    if (next) next.start();
    else this.runningNow -= 1;
  }

  private countDone(): void {
    this.done += 1;
    const now = Date.now();
    const elapsed = now - this.windowStart;
    if (elapsed < RATE_WINDOW_MS) return;
    const measured = (this.done * 1000) / elapsed;
    this.pace = RATE_WEIGHT * measured + (1 - RATE_WEIGHT) * this.pace;
    this.done = 0;
    this.windowStart = now;
  }

  /** The time the work ahead would take at the recent pace, between 0.5x and 1.5x of it. */
  private retryAfterMs(): number {
    const ahead = this.runningNow + this.queue.length;
    const ms = (ahead / Math.max(this.pace, 1)) * 1000 * (0.5 + Math.random());
    return Math.round(Math.min(MAX_RETRY_MS, Math.max(MIN_RETRY_MS, ms)));
  }
}
