import {
  Counter,
  isDuplicateKeyError,
  PollingLoop,
  type Logger,
  type Registry,
} from '@messenger/platform';
import {
  DISCARDED,
  objectKey,
  type AttachmentStore,
  type ClaimDoc,
  type UploadDoc,
} from './attachment-models.js';
import type { ObjectStorage } from './object-storage.js';

/** Uploads looked at per step; a full step goes again at once. */
const BATCH = 200;

export interface UnsentUploadSweepOptions {
  store: AttachmentStore;
  storage: ObjectStorage;
  /** Uploads older than this are done with: sent, or discarded. */
  keepMs: number;
  intervalMs: number;
  logger: Logger;
  registry: Registry;
}

/**
 * Discards the files of uploads never put on a message: without it, a client that uploads and
 * does not send keeps its files in the bucket for good. For each upload older than `keepMs`,
 * oldest first, the sweep takes its claim as DISCARDED (the insert a send makes, against the
 * same unique `_id`), so a send racing it either took the claim first and keeps its file, or is
 * answered 404. Then it deletes the files it holds the claims of, then the uploads: a sweep that
 * dies in between finds them again and deletes again. A sent upload's record goes too (its
 * message holds the attachment). Every instance sweeps; two sweeps of one upload agree.
 */
export class UnsentUploadSweep {
  private readonly loop: PollingLoop;
  private readonly swept: Counter<'outcome'>;

  constructor(private readonly options: UnsentUploadSweepOptions) {
    this.loop = new PollingLoop({
      name: 'messaging-unsent-uploads',
      intervalMs: options.intervalMs,
      logger: options.logger,
      step: () => this.sweep(),
    });
    this.swept = new Counter({
      name: 'messaging_uploads_swept_total',
      help: 'Uploads past ATTACHMENT_KEEP_UNSENT_SECONDS: sent (kept) or never sent (discarded)',
      labelNames: ['outcome'] as const,
      registers: [options.registry],
    });
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** One batch; true when a full one was found (more may be waiting). */
  async sweep(): Promise<boolean> {
    const { store, storage } = this.options;
    const old = await store.uploads
      .find({ createdAt: { $lt: new Date(Date.now() - this.options.keepMs) } })
      .sort({ createdAt: 1 })
      .limit(BATCH)
      .lean<UploadDoc[]>();
    if (old.length === 0) return false;
    const unsent = await Promise.all(old.map((upload) => this.discardable(upload)));
    const discarded = old.filter((_, i) => unsent[i]);
    await storage.remove(discarded.map((upload) => objectKey(upload.chatId, upload._id)));
    await store.uploads.deleteMany({ _id: { $in: old.map((upload) => upload._id) } });
    this.swept.inc({ outcome: 'discarded' }, discarded.length);
    this.swept.inc({ outcome: 'kept' }, old.length - discarded.length);
    if (discarded.length > 0)
      this.options.logger.info({ discarded: discarded.length }, 'discarded unsent uploads');
    return old.length === BATCH;
  }

  /** True when the upload's claim is the sweep's: taken now, or by an earlier sweep. */
  private async discardable(upload: UploadDoc): Promise<boolean> {
    const { claims } = this.options.store;
    const claim: ClaimDoc = {
      _id: upload._id,
      chatId: upload.chatId,
      senderId: DISCARDED,
      clientMsgId: DISCARDED,
      claimedAt: new Date(),
    };
    try {
      await claims.create(claim);
      return true;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    const holder = await claims.findById(upload._id).lean<ClaimDoc>();
    return holder?.senderId === DISCARDED;
  }
}
