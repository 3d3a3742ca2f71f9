import type { Logger, Redis } from '@messenger/platform';

const CHANNEL = 'messaging:outbox-wake';

export interface Wakeable {
  wake: () => void;
}

/**
 * Only one instance's relay holds a relay lease, so a write on any instance wakes the relays of
 * all of them through Redis: the holder relays at once instead of at its next poll.
 */
export class OutboxWake {
  private constructor(
    private readonly relays: Wakeable[],
    private readonly redis: Redis,
    private readonly subscriber: Redis,
  ) {}

  static async start(relays: Wakeable[], redis: Redis, logger: Logger): Promise<OutboxWake> {
    const subscriber = redis.duplicate();
    subscriber.on('error', (error: Error) => {
      logger.warn({ err: error }, 'outbox wake subscriber error');
    });
    subscriber.on('message', () => {
      for (const relay of relays) relay.wake();
    });
    await subscriber.subscribe(CHANNEL);
    return new OutboxWake(relays, redis, subscriber);
  }

  /** Called after a write that relays must publish. */
  nudge(): void {
    for (const relay of this.relays) relay.wake();
    this.redis.publish(CHANNEL, '1').catch(() => undefined);
  }

  async stop(): Promise<void> {
    await this.subscriber.quit();
  }
}
