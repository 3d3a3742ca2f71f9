import type { Redis } from '@messenger/platform';
import type { PresenceStatus } from '@messenger/contracts';

const ONLINE = 'presence:online';
const connsKey = (userId: string): string => `presence:conns:${userId}`;
const lastSeenKey = (userId: string): string => `presence:lastseen:${userId}`;

// Scripts take the time from Redis, so instances with skewed clocks agree on expiry.
const NOW = `local t = redis.call('TIME') local now = t[1] * 1000 + math.floor(t[2] / 1000)`;

// Refreshes connections to expire TTL from now; 1 when the user had no live one before.
// KEYS: conns, online. ARGV: userId, ttlMs, member...
const TOUCH = `${NOW}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local before = redis.call('ZCARD', KEYS[1])
local expires = now + tonumber(ARGV[2])
for i = 3, #ARGV do redis.call('ZADD', KEYS[1], expires, ARGV[i]) end
local top = redis.call('ZREVRANGE', KEYS[1], 0, 0, 'WITHSCORES')
redis.call('PEXPIREAT', KEYS[1], top[2])
redis.call('ZADD', KEYS[2], top[2], ARGV[1])
if before == 0 then return 1 end
return 0`;

// Forgets expired connections and the given one (if any); when none is left, the user goes
// offline and the time is returned (0 when they stay online or someone else took them off).
// KEYS: conns, online, lastseen. ARGV: userId, member?
const SETTLE = `${NOW}
if ARGV[2] then redis.call('ZREM', KEYS[1], ARGV[2]) end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local top = redis.call('ZREVRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #top > 0 then
  redis.call('ZADD', KEYS[2], top[2], ARGV[1])
  return 0
end
if redis.call('ZREM', KEYS[2], ARGV[1]) == 0 then return 0 end
redis.call('SET', KEYS[3], now)
return now`;

/**
 * Presence in Redis: each user has a sorted set of live connections (`<instance>:<socket>`)
 * scored by when they expire, refreshed by their instance's heartbeat, so a crashed instance's
 * connections lapse on their own. `presence:online` indexes users by their latest expiry, which
 * lets any instance find and announce users whose last connection lapsed.
 */
export class PresenceStore {
  constructor(
    private readonly redis: Redis,
    private readonly ttlMs: number,
  ) {}

  /** Refreshes (or adds) a user's connections; true when the user just came online. */
  async touch(userId: string, members: string[]): Promise<boolean> {
    const result = await this.redis.eval(
      TOUCH,
      2,
      connsKey(userId),
      ONLINE,
      userId,
      this.ttlMs,
      ...members,
    );
    return result === 1;
  }

  /** Drops a connection (or just lapsed ones); the offline time when the user just went offline. */
  async settle(userId: string, member?: string): Promise<Date | undefined> {
    const args = member === undefined ? [userId] : [userId, member];
    const result = await this.redis.eval(
      SETTLE,
      3,
      connsKey(userId),
      ONLINE,
      lastSeenKey(userId),
      ...args,
    );
    return typeof result === 'number' && result > 0 ? new Date(result) : undefined;
  }

  /** Users whose latest connection expired before now: candidates for `settle`. */
  async lapsedUsers(limit: number): Promise<string[]> {
    const now = await this.now();
    return this.redis.zrangebyscore(ONLINE, '-inf', now, 'LIMIT', 0, limit);
  }

  async onlineCount(): Promise<number> {
    return this.redis.zcount(ONLINE, `(${await this.now()}`, '+inf');
  }

  async statuses(userIds: string[]): Promise<Map<string, PresenceStatus>> {
    const now = await this.now();
    const pipeline = this.redis.pipeline();
    for (const userId of userIds) {
      pipeline.zcount(connsKey(userId), `(${now}`, '+inf');
      pipeline.get(lastSeenKey(userId));
    }
    const replies = (await pipeline.exec()) ?? [];
    return new Map(
      userIds.map((userId, index) => {
        const [, live] = replies[index * 2] ?? [];
        const [, lastSeen] = replies[index * 2 + 1] ?? [];
        const online = Number(live) > 0;
        return [
          userId,
          {
            online,
            lastSeenAt: online
              ? new Date(now).toISOString()
              : typeof lastSeen === 'string'
                ? new Date(Number(lastSeen)).toISOString()
                : null,
          },
        ];
      }),
    );
  }

  private async now(): Promise<number> {
    const [seconds, micros] = await this.redis.time();
    return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
  }
}
