import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { isDuplicateKeyError } from '@messenger/platform';
import type { Connection } from 'mongoose';

interface Lease {
  _id: string;
  owner: string;
  until: Date;
}

/**
 * One holder at a time per name, taken over when the holder stops renewing.
 * The holder renews once a third of the term has passed, not on every call; the others do not
 * ask again before the holder's term ends.
 */
export class RelayLease {
  private readonly owner = `${hostname()}:${process.pid}:${randomUUID()}`;
  private renewedAt = 0;
  private othersUntil = 0;

  constructor(
    private readonly connection: Connection,
    private readonly name: string,
    private readonly leaseMs = 10_000,
  ) {}

  async hold(): Promise<boolean> {
    const now = new Date();
    if (now.getTime() - this.renewedAt < this.leaseMs / 3) return true;
    if (now.getTime() < this.othersUntil) return false;
    this.renewedAt = 0;
    try {
      const lease = await this.leases().findOneAndUpdate(
        { _id: this.name, $or: [{ owner: this.owner }, { until: { $lt: now } }] },
        { $set: { owner: this.owner, until: new Date(now.getTime() + this.leaseMs) } },
        { upsert: true, returnDocument: 'after' },
      );
      if (lease?.owner !== this.owner) return false;
      this.renewedAt = now.getTime();
      return true;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const held = await this.leases().findOne({ _id: this.name });
      this.othersUntil = held?.until.getTime() ?? 0;
      return false;
    }
  }

  async release(): Promise<void> {
    this.renewedAt = 0;
    await this.leases().deleteOne({ _id: this.name, owner: this.owner });
  }

  private leases() {
    return this.connection.collection<Lease>('outbox_leases');
  }
}
