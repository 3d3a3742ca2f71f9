import type { Redis } from '@messenger/platform';

/**
 * Users whose socket was just closed for sending through its `rate_limited` answers. Their new
 * sockets are refused for a while on every instance, so an abusive client that reconnects at
 * once costs a refused handshake, not a connection, rooms and presence flapping to its friends.
 */
export class CutOffs {
  constructor(
    private readonly redis: Redis,
    private readonly seconds: number,
  ) {}

  async impose(userId: string): Promise<void> {
    await this.redis.set(key(userId), '1', 'EX', this.seconds);
  }

  /** How long the user's new sockets are still refused; 0 when they are not. */
  async retryAfterMs(userId: string): Promise<number> {
    return Math.max(0, await this.redis.pttl(key(userId)));
  }
}

const key = (userId: string) => `messaging:cutoff:${userId}`;
