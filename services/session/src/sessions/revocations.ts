import { enqueueEvent, revokedSessionKey, type PoolClient, type Redis } from '@messenger/platform';
import type { SessionRevokedData } from '@messenger/contracts';
import { markRevoked, type RevokeFilter } from './session-store.js';

export type RevokeReason = SessionRevokedData['reason'];

/**
 * Revokes sessions inside the caller's transaction: marks them, queues `session.revoked`, and
 * writes the Redis revocation keys that every token verifier checks. Redis is written before the
 * commit, so a failure can only leave a session refused too early, never accepted too long.
 */
export class Revocations {
  constructor(
    private readonly redis: Redis,
    /** How long a revocation key must live: as long as the session's last access token. */
    private readonly keyTtlSeconds: number,
  ) {}

  async revoke(client: PoolClient, filter: RevokeFilter, reason: RevokeReason): Promise<string[]> {
    const rows = await markRevoked(client, filter, reason);
    if (rows.length === 0) return [];
    for (const row of rows) {
      await enqueueEvent(client, 'session', {
        type: 'session.revoked',
        key: row.user_id,
        data: { sessionId: row.id, userId: row.user_id, reason },
      });
    }
    const pipeline = this.redis.multi();
    for (const row of rows)
      pipeline.set(revokedSessionKey(row.id), reason, 'EX', this.keyTtlSeconds);
    const results = await pipeline.exec();
    const failed = results?.find(([error]) => error)?.[0];
    if (failed) throw failed;
    return rows.map((row) => row.id);
  }
}
