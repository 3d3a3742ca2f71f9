export interface BudgetLimits {
  /** Events a socket may send per second, sustained. */
  eventsPerSecond: number;
  /** Events a socket may send at once after a quiet spell. */
  burst: number;
  /** Events of one socket being worked on at once. */
  inFlight: number;
}

/**
 * What one socket may still ask of this instance: a token bucket for its event rate and a cap
 * on its events in flight. An event over either is answered `rate_limited` at once, without
 * work, so one client's flood costs an instance a counter, not a queue.
 */
export class SocketBudget {
  private tokens: number;
  private refilledAt: number;
  private running = 0;

  constructor(
    private readonly limits: BudgetLimits,
    now = Date.now(),
  ) {
    this.tokens = limits.burst;
    this.refilledAt = now;
  }

  /** True when the event may run; it must then call `release` once it is done. */
  take(now = Date.now()): boolean {
    const elapsed = Math.max(0, now - this.refilledAt) / 1000;
    this.tokens = Math.min(this.limits.burst, this.tokens + elapsed * this.limits.eventsPerSecond);
    this.refilledAt = now;
    if (this.running >= this.limits.inFlight || this.tokens < 1) return false;
    this.tokens -= 1;
    this.running += 1;
    return true;
  }

  release(): void {
    this.running = Math.max(0, this.running - 1);
  }

  /** When a refused event could be tried again. */
  retryAfterMs(): number {
    if (this.tokens >= 1) return 100;
    return Math.ceil(((1 - this.tokens) / this.limits.eventsPerSecond) * 1000);
  }
}

/**
 * One budget per user on this instance, shared by every socket of the user here, so that opening
 * more sockets does not buy more events. Per instance, not across instances: a user's sockets on
 * two instances have a budget on each (the gateway spreads sockets, so that is at most a few).
 */
export class UserBudgets {
  private readonly users = new Map<string, { budget: SocketBudget; sockets: number }>();

  constructor(private readonly limits: BudgetLimits) {}

  /** The user's budget, counted as used by one more socket until `leave`. */
  join(userId: string, now = Date.now()): SocketBudget {
    const user = this.users.get(userId) ?? {
      budget: new SocketBudget(this.limits, now),
      sockets: 0,
    };
    user.sockets += 1;
    this.users.set(userId, user);
    return user.budget;
  }

  leave(userId: string): void {
    const user = this.users.get(userId);
    if (!user) return;
    user.sockets -= 1;
    if (user.sockets <= 0) this.users.delete(userId);
  }

  /** Users with a socket on this instance. */
  get size(): number {
    return this.users.size;
  }
}

/**
 * Refused events of one socket in the current window. A client that honours `retryAfterMs` is
 * refused a few times; one that keeps sending regardless passes the bound and is cut off, so it
 * costs a reconnect (and its handshake's limits) instead of an answer per event.
 */
export class RefusalWindow {
  private count = 0;
  private startedAt: number;

  constructor(
    private readonly max: number,
    private readonly windowMs = 10_000,
    now = Date.now(),
  ) {
    this.startedAt = now;
  }

  /** Counts a refusal; true once the window holds more than the bound. */
  add(now = Date.now()): boolean {
    if (now - this.startedAt >= this.windowMs) {
      this.startedAt = now;
      this.count = 0;
    }
    this.count += 1;
    return this.count > this.max;
  }
}
