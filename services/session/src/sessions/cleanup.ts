import { PollingLoop, type Logger, type Pool } from '@messenger/platform';
import { deleteDeadSessions } from './session-store.js';

const BATCH = 1_000;
/** Dead sessions (and their spent refresh tokens) are kept this long for audit and reuse answers. */
const KEEP_DEAD_SECONDS = 7 * 24 * 60 * 60;

/** Deletes sessions that expired or were revoked long ago, in bounded batches. */
export function sessionCleanup(pool: Pool, idleTtlSeconds: number, logger: Logger): PollingLoop {
  return new PollingLoop({
    name: 'session-cleanup',
    intervalMs: 60 * 60 * 1000,
    logger,
    step: async () => {
      const deleted = await deleteDeadSessions(pool, {
        keepDeadSeconds: KEEP_DEAD_SECONDS,
        idleTtlSeconds,
        batch: BATCH,
      });
      return deleted === BATCH;
    },
  });
}
