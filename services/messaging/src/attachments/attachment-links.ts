import type { Attachment } from '@messenger/contracts';
import type { MessageAttachment } from '../store/message-model.js';
import { objectKey } from './attachment-models.js';
import type { ObjectStorage } from './object-storage.js';

/**
 * A message's attachments as a member reads them: each with a signed GET that expires. Signing
 * is local (no request to the store), so every read signs afresh.
 */
export class AttachmentLinks {
  constructor(
    private readonly storage: ObjectStorage,
    private readonly ttlSeconds: number,
  ) {}

  of(chatId: string, stored: readonly MessageAttachment[]): Promise<Attachment[]> {
    return Promise.all(
      stored.map(async ({ id, mimeType, size, width, height }) => ({
        id,
        mimeType,
        size,
        ...(width === undefined ? {} : { width }),
        ...(height === undefined ? {} : { height }),
        url: await this.storage.downloadUrl(objectKey(chatId, id), this.ttlSeconds),
      })),
    );
  }
}
