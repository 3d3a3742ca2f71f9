import { Gauge, type Logger, type Registry } from '@messenger/platform';
import { KeyedLane } from '../keyed-lane.js';
import type { PresenceAnnouncer } from './presence-announcer.js';
import type { PresenceStore } from './presence-store.js';

const SWEEP_INTERVAL_MS = 1_000;
const SWEEP_BATCH = 100;

export interface PresenceTrackerOptions {
  store: PresenceStore;
  announcer: PresenceAnnouncer;
  instanceId: string;
  ttlSeconds: number;
  logger: Logger;
  registry: Registry;
}

/**
 * This instance's part of presence: it registers its sockets, refreshes them every TTL/3 (so they
 * lapse within a TTL if the instance dies), and sweeps lapsed users of any instance, announcing
 * each change of a user's state once. Changes of one user are applied in order.
 */
export class PresenceTracker {
  private readonly local = new Map<string, Set<string>>();
  private readonly lanes = new KeyedLane();
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(private readonly options: PresenceTrackerOptions) {
    const { store } = options;
    new Gauge({
      name: 'messaging_presence_online_users',
      help: 'Users with at least one live connection, across all instances',
      registers: [options.registry],
      async collect() {
        this.set(await store.onlineCount());
      },
    });
  }

  start(): void {
    this.timers.push(
      setInterval(() => void this.heartbeat(), (this.options.ttlSeconds * 1000) / 3),
      setInterval(() => void this.sweep(), SWEEP_INTERVAL_MS),
    );
  }

  stop(): void {
    for (const timer of this.timers) clearInterval(timer);
  }

  connected(userId: string, socketId: string): Promise<void> {
    const sockets = this.local.get(userId) ?? new Set<string>();
    sockets.add(socketId);
    this.local.set(userId, sockets);
    return this.inLane(userId, async () => {
      if (await this.options.store.touch(userId, [this.member(socketId)]))
        await this.options.announcer.announce(userId, true, new Date());
    });
  }

  disconnected(userId: string, socketId: string): Promise<void> {
    const sockets = this.local.get(userId);
    sockets?.delete(socketId);
    if (sockets?.size === 0) this.local.delete(userId);
    return this.inLane(userId, async () => {
      const offlineAt = await this.options.store.settle(userId, this.member(socketId));
      if (offlineAt) await this.options.announcer.announce(userId, false, offlineAt);
    });
  }

  private async heartbeat(): Promise<void> {
    await Promise.all(
      [...this.local].map(([userId, sockets]) =>
        this.inLane(userId, async () => {
          const members = [...sockets].map((socketId) => this.member(socketId));
          if (members.length > 0 && (await this.options.store.touch(userId, members)))
            await this.options.announcer.announce(userId, true, new Date());
        }),
      ),
    );
  }

  private async sweep(): Promise<void> {
    try {
      const lapsed = await this.options.store.lapsedUsers(SWEEP_BATCH);
      await Promise.all(
        lapsed.map((userId) =>
          this.inLane(userId, async () => {
            const offlineAt = await this.options.store.settle(userId);
            if (offlineAt) await this.options.announcer.announce(userId, false, offlineAt);
          }),
        ),
      );
    } catch (error) {
      this.options.logger.warn({ err: error }, 'presence sweep failed');
    }
  }

  private member(socketId: string): string {
    return `${this.options.instanceId}:${socketId}`;
  }

  private inLane(userId: string, task: () => Promise<void>): Promise<void> {
    return this.lanes.run(userId, task).catch((error: unknown) => {
      this.options.logger.warn({ err: error, userId }, 'presence update failed');
    });
  }
}
