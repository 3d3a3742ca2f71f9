import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { isDuplicateKeyError } from '@messenger/platform';
import type { Connection } from 'mongoose';

interface Lease {
  _id: string;
  owner: string;
  until: Date;
}

/** One holder at a time per name, taken over when the holder stops renewing (as the platform's). */
export class RelayLease {
  private readonly owner = `${hostname()}:${process.pid}:${randomUUID()}`;

  constructor(
    private readonly connection: Connection,
    private readonly name: string,
    private readonly leaseMs = 10_000,
  ) {}

  async hold(): Promise<boolean> {
    const now = new Date();
    try {
      const lease = await this.leases().findOneAndUpdate(
        { _id: this.name, $or: [{ owner: this.owner }, { until: { $lt: now } }] },
        { $set: { owner: this.owner, until: new Date(now.getTime() + this.leaseMs) } },
        { upsert: true, returnDocument: 'after' },
      );
      return lease?.owner === this.owner;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  async release(): Promise<void> {
    await this.leases().deleteOne({ _id: this.name, owner: this.owner });
  }

  private leases() {
    return this.connection.collection<Lease>('outbox_leases');
  }
}
