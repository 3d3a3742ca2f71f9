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
}

/**
 * The instances of one upstream and which of them may take traffic: each is asked /readyz
 * every interval (active), and one that fails a request is left out for a while (passive).
 * Picks go round robin over the targets that are ready and not ejected; when none is, over all
 * of them, since trying beats refusing outright.
 */
export class UpstreamPool {
  private readonly states = new Map<string, TargetState>();
  private readonly now: () => number;
  private readonly isReady: (target: string) => Promise<boolean>;
  private timer: NodeJS.Timeout | undefined;
  private next = 0;

  constructor(
    readonly targets: readonly string[],
    private readonly options: UpstreamPoolOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.isReady = options.isReady ?? readyz;
    for (const target of targets) this.states.set(target, { ready: true, ejectedUntil: 0 });
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
        if (!state || state.ready === ready) return;
        state.ready = ready;
        this.options.logger.warn({ target, ready }, 'upstream readiness changed');
      }),
    );
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
