import type { Redis } from '@messenger/platform';

const PENDING = 'messaging:relay:pending';
const TAKEN = 'messaging:relay:taken';

// Moves up to ARGV[1] members from the pending set to the taken set, atomically, and returns them.
const TAKE = `
local logs = redis.call('SPOP', KEYS[1], ARGV[1])
if #logs > 0 then redis.call('SADD', KEYS[2], unpack(logs)) end
return logs`;

/**
 * Logs (a chat's messages, a member's marks) that may hold records not yet relayed, by relay
 * head key. A writer marks its log before it inserts (so a crash right after the insert still
 * leaves the mark) and after (so a relay that took the mark in between looks again). The relay
 * takes marks into a second set and clears them only once relayed, so a relay that dies mid-step
 * leaves them for the next holder of the lease, which puts them back when it takes over.
 */
export class PendingLogs {
  constructor(private readonly redis: Redis) {}

  async mark(...logs: string[]): Promise<void> {
    if (logs.length > 0) await this.redis.sadd(PENDING, ...logs);
  }

  /** Up to `count` marked logs, moved to the taken set. */
  async take(count: number): Promise<string[]> {
    return (await this.redis.eval(TAKE, 2, PENDING, TAKEN, count)) as string[];
  }

  async done(...logs: string[]): Promise<void> {
    if (logs.length > 0) await this.redis.srem(TAKEN, ...logs);
  }

  /** Everything taken and not done goes back to pending: for a relay that just took the lease. */
  async restoreTaken(): Promise<void> {
    await this.redis.multi().sunionstore(PENDING, PENDING, TAKEN).del(TAKEN).exec();
  }
}
