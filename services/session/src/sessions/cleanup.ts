import { PollingLoop, type Logger, type Pool } from '@messenger/platform';

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
      const result = await pool.query(
        `DELETE FROM sessions WHERE id IN (
           SELECT id FROM sessions
           WHERE expires_at < now() - make_interval(secs => $1)
              OR revoked_at < now() - make_interval(secs => $1)
              OR last_used_at < now() - make_interval(secs => $1 + $2)
           LIMIT $3)`,
        [KEEP_DEAD_SECONDS, idleTtlSeconds, BATCH],
      );
      return result.rowCount === BATCH;
    },
  });
}
