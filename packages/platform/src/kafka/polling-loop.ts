import { context, ROOT_CONTEXT } from '@opentelemetry/api';
import type { Logger } from 'pino';

const MAX_BACKOFF_MS = 2_000;

export interface PollingLoopOptions {
  name: string;
  intervalMs: number;
  logger: Logger;
  /** One unit of work; resolves true when more work is waiting right away. */
  step: () => Promise<boolean>;
}

/**
 * Runs `step` every interval, at once when woken, never two at a time; backs off on errors. A
 * wake during a step runs the step again right after it, so work written meanwhile is not left
 * for the next interval.
 */
export class PollingLoop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private failures = 0;
  /** Wakes so far; one that comes during a step makes the loop go again at once. */
  private wakes = 0;

  constructor(private readonly options: PollingLoopOptions) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Asks for a run now, e.g. right after a transaction wrote new work. */
  wake(): void {
    if (this.stopped) return;
    this.wakes += 1;
    if (!this.running) this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    // Outside the context of whoever woke the loop: a step is no part of that request's trace.
    this.timer = setTimeout(
      context.bind(ROOT_CONTEXT, () => {
        this.running = this.tick().finally(() => {
          this.running = undefined;
        });
      }),
      delayMs,
    );
  }

  private async tick(): Promise<void> {
    let delay = this.options.intervalMs;
    const wakesBefore = this.wakes;
    try {
      const more = await this.options.step();
      this.failures = 0;
      if (more || this.wakes !== wakesBefore) delay = 0;
    } catch (error) {
      this.failures += 1;
      // At most 2 s between attempts (or the interval, if longer): the work resumes within
      // that of the outage's end, and a failing step costs an attempt every 2 s.
      delay = Math.min(
        this.options.intervalMs * 2 ** this.failures,
        Math.max(this.options.intervalMs, MAX_BACKOFF_MS),
      );
      this.options.logger.warn(
        { err: error, loop: this.options.name, failures: this.failures },
        'polling step failed',
      );
    }
    if (!this.stopped) this.schedule(delay);
  }
}
