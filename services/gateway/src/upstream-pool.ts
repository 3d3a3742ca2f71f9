import type { Logger } from '@messenger/platform';

export interface UpstreamPoolOptions {
  /** How often each target's /readyz is asked. */
  checkIntervalMs: number;
  /** How long a target that failed a request is left out. */
  ejectMs: number;
  logger: Logger;
  /** Resolves true when the target is ready (its /readyz answers 200). */
  isReady?: (target: string) => Promise<boolean>;
  now?: () => number;
}

interface TargetState {
  ready: boolean;
  ejectedUntil: number;
  /** Readiness checks failed in a row. */
  failedChecks: number;
}

/**
 * Checks a target must fail in a row before its long-lived connections are moved: one failed
 * check may be a blip, and moving every socket of an instance costs a reconnect and a sync each.
 */
const FAILED_CHECKS_BEFORE_MOVING = 2;

/**
 * The instances of one upstream and which of them may take traffic: each is asked /readyz
 * every interval (active), and one that fails a request is left out for a while (passive).
 * Picks go round robin over the targets that are ready and not ejected; when none is, over all
 * of them, since trying beats refusing outright. A target that stays unready while another is
 * ready is announced to the `onUnready` listeners, which move its long-lived connections.
 */
export class UpstreamPool {
  private readonly states = new Map<string, TargetState>();
  private readonly now: () => number;
  private readonly isReady: (target: string) => Promise<boolean>;
  private timer: NodeJS.Timeout | undefined;
  private next = 0;
  private readonly unreadyListeners: ((target: string) => void)[] = [];

  constructor(
    readonly targets: readonly string[],
    private readonly options: UpstreamPoolOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.isReady = options.isReady ?? readyz;
    for (const target of targets)
      this.states.set(target, { ready: true, ejectedUntil: 0, failedChecks: 0 });
  }

  /** `listener` is told of a target that failed its checks while another target is ready. */
  onUnready(listener: (target: string) => void): void {
    this.unreadyListeners.push(listener);
  }

  /** Starts the active checks (only worth it when there is a choice). */
  start(): void {
    if (this.targets.length < 2 || this.timer) return;
    const check = () => {
      void this.checkAll().finally(() => {
        this.timer = setTimeout(check, this.options.checkIntervalMs);
        this.timer.unref();
      });
    };
    check();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  async checkAll(): Promise<void> {
    await Promise.all(
      this.targets.map(async (target) => {
        const ready = await this.isReady(target).catch(() => false);
        const state = this.states.get(target);
        if (!state) return;
        state.failedChecks = ready ? 0 : state.failedChecks + 1;
        if (state.ready === ready) return;
        state.ready = ready;
        this.options.logger.warn({ target, ready }, 'upstream readiness changed');
      }),
    );
    for (const [target, state] of this.states) {
      if (state.failedChecks !== FAILED_CHECKS_BEFORE_MOVING) continue;
      if (![...this.states.values()].some((other) => other.ready)) continue;
      for (const listener of this.unreadyListeners) listener(target);
    }
  }

  pick(): string {
    const now = this.now();
    const usable = this.targets.filter((target) => {
      const state = this.states.get(target);
      return state !== undefined && state.ready && state.ejectedUntil <= now;
    });
    const from = usable.length > 0 ? usable : this.targets;
    const target = from[this.next % from.length] as string;
    this.next += 1;
    return target;
  }

  /** A request to `target` failed to connect or timed out: leave it out for a while. */
  eject(target: string): void {
    const state = this.states.get(target);
    if (!state || this.targets.length < 2) return;
    state.ejectedUntil = this.now() + this.options.ejectMs;
    this.options.logger.warn({ target, forMs: this.options.ejectMs }, 'upstream ejected');
  }
}

async function readyz(target: string): Promise<boolean> {
  const response = await fetch(new URL('/readyz', target), { signal: AbortSignal.timeout(1_000) });
  await response.body?.cancel();
  return response.ok;
}
