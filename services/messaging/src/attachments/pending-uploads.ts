import type { Redis } from '@messenger/platform';

/**
 * Drops the user's expired entries, then adds the new one unless the user holds `max` already:
 * 0 when added, otherwise the time (ms) the oldest entry expires. One script, so concurrent
 * uploads of one user cannot pass the limit together.
 */
const RESERVE = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then
  return tonumber(redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2])
end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
redis.call('PEXPIREAT', KEYS[1], ARGV[2])
return 0
`;

/** The uploads each user started and has not sent yet, while their upload URLs live (Redis). */
export class PendingUploads {
  constructor(
    private readonly redis: Redis,
    private readonly max: number,
  ) {}

  /** Counts the upload; the time (ms) a slot frees up when the user has `max` pending already. */
  async reserve(userId: string, attachmentId: string, expiresAt: Date): Promise<number | null> {
    const oldest = (await this.redis.eval(
      RESERVE,
      1,
      key(userId),
      Date.now(),
      expiresAt.getTime(),
      attachmentId,
      this.max,
    )) as number;
    return oldest === 0 ? null : oldest;
  }

  /** The uploads were sent: they no longer count. */
  async release(userId: string, attachmentIds: readonly string[]): Promise<void> {
    if (attachmentIds.length > 0) await this.redis.zrem(key(userId), ...attachmentIds);
  }
}

function key(userId: string): string {
  return `messaging:pending-uploads:${userId}`;
}
