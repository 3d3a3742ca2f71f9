import { Router } from 'express';
import type { Registry } from 'prom-client';

export type Probe = () => Promise<unknown>;

/**
 * Named dependency probes; each resolves when its dependency answers. An `optional` probe is
 * reported but does not make the service unready (e.g. the gateway's view of one upstream).
 */
export type ReadinessChecks = Record<string, Probe | { probe: Probe; optional: true }>;

const CHECK_TIMEOUT_MS = 2_000;

async function runCheck(check: () => Promise<unknown>): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error('timed out'));
    }, CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([check(), timeout]);
    return 'ok';
  } catch (error) {
    return error instanceof Error ? error.message : 'failed';
  } finally {
    clearTimeout(timer);
  }
}

/** State shared with graceful shutdown: once draining, readiness fails so traffic moves away. */
export const lifecycleState = { draining: false };

/**
 * A process whose event loop stalls this long is not alive: its /healthz says so, and
 * Kubernetes restarts it, rather than it answering "ok" while it serves nothing.
 */
export const MAX_EVENT_LOOP_DELAY_MS = Number(process.env['MAX_EVENT_LOOP_DELAY_MS'] ?? 2_000);

export function healthRoutes(checks: ReadinessChecks, registry: Registry): Router {
  const router = Router();
  const stalls = new StallWatch();
  router.get('/healthz', (_req, res) => {
    const worstMs = stalls.worstSinceLastAsked();
    if (worstMs > MAX_EVENT_LOOP_DELAY_MS) {
      res.status(503).json({ status: 'stalled', eventLoopDelayMs: Math.round(worstMs) });
      return;
    }
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const entries = Object.entries(checks);
    const results = await Promise.all(
      entries.map(([, check]) => runCheck(typeof check === 'function' ? check : check.probe)),
    );
    const report = Object.fromEntries(entries.map(([name], index) => [name, results[index]]));
    const failedRequired = entries.some(
      ([, check], index) => typeof check === 'function' && results[index] !== 'ok',
    );
    const ready = !lifecycleState.draining && !failedRequired;
    const status = ready ? 'ok' : lifecycleState.draining ? 'draining' : 'unavailable';
    res.status(ready ? 200 : 503).json({ status, checks: report });
  });
  router.get('/metrics', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });
  return router;
}

const TICK_MS = 50;

/**
 * The longest the event loop went without running a timer, since the last time it was asked:
 * a tick every 50 ms notes how late it is; a question also counts the time since the last tick,
 * since the question itself may be the first thing to run after a stall.
 */
class StallWatch {
  private lastTick = Date.now();
  private worst = 0;

  constructor() {
    setInterval(() => {
      const now = Date.now();
      this.worst = Math.max(this.worst, now - this.lastTick - TICK_MS);
      this.lastTick = now;
    }, TICK_MS).unref();
  }

  worstSinceLastAsked(): number {
    const worst = Math.max(this.worst, Date.now() - this.lastTick - TICK_MS);
    this.worst = 0;
    return worst;
  }
}
