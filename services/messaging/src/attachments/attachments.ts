import type { Connection } from 'mongoose';
import type { Logger, Redis, Registry } from '@messenger/platform';
import type { Router } from 'express';
import type { ChatAccess } from '../access/chat-access.js';
import type { Config } from '../config.js';
import type { MessageAttachment } from '../store/message-model.js';
import { AttachmentLinks } from './attachment-links.js';
import { objectKey, openAttachmentStore } from './attachment-models.js';
import { AttachmentClaims } from './claims.js';
import { ObjectStorage } from './object-storage.js';
import { PendingUploads } from './pending-uploads.js';
import { uploadRoutes } from './upload-routes.js';
import { UnsentUploadSweep } from './unsent-uploads.js';
import { Uploads } from './uploads.js';

export interface AttachmentsDeps {
  connection: Connection;
  redis: Redis;
  access: ChatAccess;
  config: Config;
  logger: Logger;
  registry: Registry;
}

/** Uploads, the claims of the send path and the signed URLs of message views. */
export interface Attachments {
  claims: AttachmentClaims;
  links: AttachmentLinks;
  /** Deletes a deleted message's files; a failure is logged (a lifecycle rule takes the rest). */
  discard: (chatId: string, attachments: readonly MessageAttachment[]) => Promise<void>;
  routes: Router;
  close: () => Promise<void>;
}

/**
 * The attachments module over its own collections and bucket, with the sweep of unsent uploads.
 * A bucket that cannot be checked or created now is logged, not fatal: chats work without
 * attachments, and uploads answer 503 until the store is back.
 */
export async function openAttachments(deps: AttachmentsDeps): Promise<Attachments> {
  const { config, logger } = deps;
  const store = await openAttachmentStore(deps.connection);
  const storage = new ObjectStorage(
    {
      endpoint: config.S3_ENDPOINT,
      region: config.S3_REGION,
      bucket: config.S3_BUCKET,
      accessKeyId: config.S3_ACCESS_KEY_ID,
      secretAccessKey: config.S3_SECRET_ACCESS_KEY,
      forcePathStyle: config.S3_FORCE_PATH_STYLE,
    },
    config.UPSTREAM_TIMEOUT_MS,
  );
  await storage.ensureBucket(logger).catch((error: unknown) => {
    logger.warn({ err: error, bucket: config.S3_BUCKET }, 'the attachments bucket is unavailable');
  });
  const pending = new PendingUploads(deps.redis, config.ATTACHMENT_PENDING_PER_USER);
  const uploads = new Uploads({
    store,
    access: deps.access,
    storage,
    pending,
    uploadTtlSeconds: config.ATTACHMENT_UPLOAD_TTL_SECONDS,
  });
  const sweep = new UnsentUploadSweep({
    store,
    storage,
    keepMs:
      Math.max(config.ATTACHMENT_KEEP_UNSENT_SECONDS, config.ATTACHMENT_UPLOAD_TTL_SECONDS) * 1000,
    intervalMs: config.ATTACHMENT_SWEEP_SECONDS * 1000,
    logger,
    registry: deps.registry,
  });
  sweep.start();
  return {
    claims: new AttachmentClaims({ store, storage, pending }),
    links: new AttachmentLinks(storage, config.ATTACHMENT_URL_TTL_SECONDS),
    discard: async (chatId, attachments) => {
      const keys = attachments.map(({ id }) => objectKey(chatId, id));
      await storage.remove(keys).catch((error: unknown) => {
        logger.warn({ err: error, chatId, keys }, "a deleted message's files stay in the bucket");
      });
    },
    routes: uploadRoutes(uploads),
    close: async () => {
      await sweep.stop();
      storage.close();
    },
  };
}
