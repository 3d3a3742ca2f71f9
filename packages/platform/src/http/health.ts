import { Router } from 'express';
import type { Registry } from 'prom-client';

/** Named dependency probes; each resolves when its dependency answers. */
export type ReadinessChecks = Record<string, () => Promise<unknown>>;

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

export function healthRoutes(checks: ReadinessChecks, registry: Registry): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const names = Object.keys(checks);
    const results = await Promise.all(
      names.map((name) => runCheck(checks[name] as () => Promise<unknown>)),
    );
    const report = Object.fromEntries(names.map((name, index) => [name, results[index]]));
    const ready = !lifecycleState.draining && results.every((result) => result === 'ok');
    res.status(ready ? 200 : 503).json({
      status: ready ? 'ok' : lifecycleState.draining ? 'draining' : 'unavailable',
      checks: report,
    });
  });
  router.get('/metrics', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });
  return router;
}
