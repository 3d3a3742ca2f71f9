import type { Logger, MongoOutboxRelay, Redis } from '@messenger/platform';

const CHANNEL = 'messaging:outbox-wake';

/**
 * Only one instance's relay holds the outbox lease, so a write on any instance wakes the relays
 * of all of them through Redis: the holder relays at once instead of at its next poll.
 */
export class OutboxWake {
  private constructor(
    private readonly relay: MongoOutboxRelay,
    private readonly redis: Redis,
    private readonly subscriber: Redis,
  ) {}

  static async start(relay: MongoOutboxRelay, redis: Redis, logger: Logger): Promise<OutboxWake> {
    const subscriber = redis.duplicate();
    subscriber.on('error', (error: Error) => {
      logger.warn({ err: error }, 'outbox wake subscriber error');
    });
    subscriber.on('message', () => {
      relay.wake();
    });
    await subscriber.subscribe(CHANNEL);
    return new OutboxWake(relay, redis, subscriber);
  }

  /** Called after a write that carries outbox entries. */
  nudge(): void {
    this.relay.wake();
    this.redis.publish(CHANNEL, '1').catch(() => undefined);
  }

  async stop(): Promise<void> {
    await this.subscriber.quit();
  }
}
