import { ADD, DELETE, ERROR, makeInformer, UPDATE, type Informer } from '@kubernetes/client-node';
import type { Logger } from '@messenger/platform';
import { statusCode, type Kube } from './kube.js';
import type { OperatorMetrics } from './metrics.js';
import type { Reconciler } from './reconciler.js';
import { GROUP, PLURAL, VERSION, type MessengerPlatform } from './spec.js';

export interface ControllerOptions {
  kube: Kube;
  namespace: string;
  reconciler: Reconciler;
  metrics: OperatorMetrics;
  logger: Logger;
  resyncMs: number;
  /** First retry after a failed reconcile; doubles up to maxBackoffMs. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
}

/**
 * Watches the MessengerPlatforms of one namespace and reconciles each on every change and every
 * resync period, one at a time. A failed reconcile is retried with exponential backoff; the
 * informer relists after a watch expires (410 Gone) and is restarted after any watch error.
 * Each reconcile reads the resource afresh, so a restart or a stale cache repeats nothing.
 */
export class Controller {
  private informer:
    (Informer<MessengerPlatform> & { list(): readonly MessengerPlatform[] }) | undefined;
  private running = false;
  private readonly queue = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly retryTimers = new Map<string, NodeJS.Timeout>();
  private wake: (() => void) | undefined;
  private resyncTimer: NodeJS.Timeout | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private worker: Promise<void> | undefined;

  constructor(private readonly options: ControllerOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    const { kube, namespace } = this.options;
    const informer = makeInformer<MessengerPlatform>(
      kube.config,
      `/apis/${GROUP}/${VERSION}/namespaces/${namespace}/${PLURAL}`,
      () =>
        kube.custom.listNamespacedCustomObject({
          group: GROUP,
          version: VERSION,
          namespace,
          plural: PLURAL,
        }) as never,
    );
    informer.on(ADD, (platform) => {
      this.enqueue(platform);
    });
    informer.on(UPDATE, (platform) => {
      this.enqueue(platform);
    });
    informer.on(DELETE, (platform) => {
      if (platform.metadata?.uid) this.options.reconciler.forget(platform.metadata.uid);
    });
    informer.on(ERROR, (error: unknown) => {
      if (!this.running) return;
      this.options.logger.warn({ err: error }, 'watch of MessengerPlatforms failed; restarting');
      clearTimeout(this.restartTimer);
      this.restartTimer = setTimeout(() => void this.startInformer(), 1_000);
    });
    this.informer = informer;
    void this.startInformer();
    this.resyncTimer = setInterval(() => {
      for (const platform of this.informer?.list() ?? []) this.enqueue(platform);
    }, this.options.resyncMs);
    this.worker = this.work();
  }

  private async startInformer(): Promise<void> {
    try {
      await this.informer?.start();
    } catch (error) {
      if (!this.running) return;
      this.options.logger.warn({ err: error }, 'could not list MessengerPlatforms; retrying');
      clearTimeout(this.restartTimer);
      this.restartTimer = setTimeout(() => void this.startInformer(), 2_000);
    }
  }

  private enqueue(platform: MessengerPlatform): void {
    const key = `${platform.metadata?.namespace ?? ''}/${platform.metadata?.name ?? ''}`;
    if (this.retryTimers.has(key)) return; // a backoff is pending; it will reconcile
    this.queue.add(key);
    this.wake?.();
  }

  private async work(): Promise<void> {
    while (this.running) {
      const key = this.queue.values().next().value;
      if (key === undefined) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
        continue;
      }
      this.queue.delete(key);
      await this.process(key);
    }
  }

  private async process(key: string): Promise<void> {
    const [namespace = '', name = ''] = key.split('/');
    const { metrics, logger, reconciler, kube } = this.options;
    const stop = metrics.duration.startTimer();
    try {
      let platform: MessengerPlatform;
      try {
        platform = (await kube.custom.getNamespacedCustomObject({
          group: GROUP,
          version: VERSION,
          namespace,
          plural: PLURAL,
          name,
        })) as MessengerPlatform;
      } catch (error) {
        if (statusCode(error) === 404) return; // deleted meanwhile
        throw error;
      }
      if (!this.running) return;
      await reconciler.reconcile(platform);
      metrics.reconciles.inc({ result: 'success' });
      this.failures.delete(key);
    } catch (error) {
      metrics.reconciles.inc({ result: 'error' });
      const attempt = (this.failures.get(key) ?? 0) + 1;
      this.failures.set(key, attempt);
      const delay = Math.min(
        this.options.maxBackoffMs ?? 30_000,
        (this.options.baseBackoffMs ?? 500) * 2 ** (attempt - 1),
      );
      logger.warn({ err: error, platform: key, attempt, retryInMs: delay }, 'reconcile failed');
      this.retryTimers.set(
        key,
        setTimeout(() => {
          this.retryTimers.delete(key);
          this.queue.add(key);
          this.wake?.();
        }, delay),
      );
    } finally {
      stop();
    }
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    clearInterval(this.resyncTimer);
    clearTimeout(this.restartTimer);
    for (const timer of this.retryTimers.values()) clearTimeout(timer);
    this.retryTimers.clear();
    this.queue.clear();
    this.wake?.();
    await this.informer?.stop();
    await this.worker;
  }
}
