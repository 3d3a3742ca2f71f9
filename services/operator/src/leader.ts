import type { V1Lease } from '@kubernetes/client-node';
import type { Logger } from '@messenger/platform';
import { statusCode, type Kube } from './kube.js';

export interface LeaderOptions {
  namespace: string;
  name: string;
  identity: string;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryMs: number;
  onStartedLeading: () => void;
  onStoppedLeading: () => void;
}

/** A MicroTime as the API server parses it (six fractional digits); typed as the client types it. */
function microTime(date: Date): Date {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z') as unknown as Date;
}

/**
 * Leader election on a coordination.k8s.io Lease, as client-go does it: the holder renews the
 * Lease every retry period; another candidate takes it only after it has seen the same record
 * unchanged for a whole lease duration (its own clock, so clock skew does not matter). Updates
 * carry the resourceVersion, so of two candidates racing for a free Lease exactly one wins.
 */
export class LeaderElector {
  private leading = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private observed: { record: string; at: number } | undefined;
  private lastRenew = 0;

  constructor(
    private readonly kube: Kube,
    private readonly options: LeaderOptions,
    private readonly logger: Logger,
  ) {}

  get isLeader(): boolean {
    return this.leading;
  }

  start(): void {
    void this.tick();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), this.options.retryMs);
  }

  private async tick(): Promise<void> {
    try {
      const ok = await this.tryAcquireOrRenew();
      if (ok) {
        this.lastRenew = Date.now();
        if (!this.leading && !this.stopped) {
          this.leading = true;
          this.logger.info(
            { lease: this.options.name, identity: this.options.identity },
            'became leader',
          );
          this.options.onStartedLeading();
        }
      } else if (this.leading) {
        this.lose('another candidate holds the lease');
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'lease acquire/renew failed');
      if (this.leading && Date.now() - this.lastRenew > this.options.renewDeadlineMs) {
        this.lose('could not renew the lease within the renew deadline');
      }
    }
    this.schedule();
  }

  private lose(why: string): void {
    this.leading = false;
    this.logger.warn({ lease: this.options.name, why }, 'lost leadership');
    this.options.onStoppedLeading();
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const { namespace, name, identity } = this.options;
    const now = new Date();
    let lease: V1Lease;
    try {
      lease = await this.kube.coordination.readNamespacedLease({ name, namespace });
    } catch (error) {
      if (statusCode(error) !== 404) throw error;
      try {
        await this.kube.coordination.createNamespacedLease({
          namespace,
          body: {
            metadata: { name, namespace },
            spec: {
              holderIdentity: identity,
              leaseDurationSeconds: Math.ceil(this.options.leaseDurationMs / 1000),
              acquireTime: microTime(now),
              renewTime: microTime(now),
              leaseTransitions: 0,
            },
          },
        });
        return true;
      } catch (createError) {
        if (statusCode(createError) === 409) return false;
        throw createError;
      }
    }
    const spec = lease.spec ?? {};
    const holder = spec.holderIdentity ?? '';
    const record = JSON.stringify([holder, spec.renewTime, spec.leaseDurationSeconds]);
    if (this.observed?.record !== record) this.observed = { record, at: Date.now() };
    const durationMs = (spec.leaseDurationSeconds ?? 0) * 1000;
    const expired = holder === '' || Date.now() > this.observed.at + durationMs;
    if (holder !== identity && !expired) return false;

    const transitions = (spec.leaseTransitions ?? 0) + (holder === identity ? 0 : 1);
    try {
      await this.kube.coordination.replaceNamespacedLease({
        name,
        namespace,
        body: {
          metadata: { name, namespace, resourceVersion: lease.metadata?.resourceVersion ?? '' },
          spec: {
            holderIdentity: identity,
            leaseDurationSeconds: Math.ceil(this.options.leaseDurationMs / 1000),
            acquireTime:
              holder === identity && spec.acquireTime ? spec.acquireTime : microTime(now),
            renewTime: microTime(now),
            leaseTransitions: transitions,
          },
        },
      });
      return true;
    } catch (error) {
      if (statusCode(error) === 409) return false; // someone else updated it first
      throw error;
    }
  }

  /** Stops campaigning; a leader hands the Lease back so another replica takes over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    if (!this.leading) return;
    this.leading = false;
    this.options.onStoppedLeading();
    const { namespace, name } = this.options;
    try {
      const lease = await this.kube.coordination.readNamespacedLease({ name, namespace });
      if (lease.spec?.holderIdentity !== this.options.identity) return;
      await this.kube.coordination.replaceNamespacedLease({
        name,
        namespace,
        body: {
          metadata: { name, namespace, resourceVersion: lease.metadata?.resourceVersion ?? '' },
          spec: {
            acquireTime: lease.spec.acquireTime,
            leaseTransitions: lease.spec.leaseTransitions,
            holderIdentity: '',
            leaseDurationSeconds: 1,
            renewTime: microTime(new Date()),
          },
        },
      });
      this.logger.info({ lease: name }, 'released the lease');
    } catch (error) {
      this.logger.warn({ err: error }, 'could not release the lease');
    }
  }
}
