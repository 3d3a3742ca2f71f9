import { HttpProblem, isDuplicateKeyError, problems } from '@messenger/platform';
import { attachmentErrors, MAX_ATTACHMENTS, type ErrorSpec } from '@messenger/contracts';
import type { MessageAttachment } from '../store/message-model.js';
import { findByKeys } from '../store/store.js';
import {
  DISCARDED,
  objectKey,
  type AttachmentStore,
  type ClaimDoc,
  type UploadDoc,
} from './attachment-models.js';
import type { ObjectStorage } from './object-storage.js';
import type { PendingUploads } from './pending-uploads.js';
import { storageCall } from './storage-call.js';

/** The send that puts attachments on its message: a retry of it is the same send. */
export interface ClaimingSend {
  userId: string;
  chatId: string;
  clientMsgId: string;
}

export interface ClaimsDeps {
  store: AttachmentStore;
  storage: ObjectStorage;
  pending: PendingUploads;
}

/**
 * Puts uploaded files on a message. Each must be the sender's upload for this chat, stored with
 * the declared size and type; each goes on one message only, by the insert of its claim under
 * its id (the unique `_id`), which a retry of the same send finds as its own. A send refused
 * part-way gives back the claims it took.
 */
export class AttachmentClaims {
  constructor(private readonly deps: ClaimsDeps) {}

  async claim(send: ClaimingSend, attachmentIds: readonly string[]): Promise<MessageAttachment[]> {
    if (attachmentIds.length === 0) return [];
    assertFew(attachmentIds);
    const uploads = await this.uploadsOf(send, attachmentIds);
    await Promise.all(uploads.map((upload) => this.assertUploaded(upload)));
    const taken: string[] = [];
    try {
      for (const upload of uploads) if (await this.take(send, upload._id)) taken.push(upload._id);
    } catch (error) {
      await this.deps.store.claims.deleteMany({ _id: { $in: taken } });
      throw error;
    }
    await this.deps.pending.release(send.userId, attachmentIds);
    return uploads.map(storedAttachment);
  }

  private async uploadsOf(send: ClaimingSend, ids: readonly string[]): Promise<UploadDoc[]> {
    const found = new Map(
      (await findByKeys(this.deps.store.uploads, [...ids])).map((doc) => [doc._id, doc]),
    );
    return ids.map((id) => {
      const upload = found.get(id);
      if (!upload || upload.uploaderId !== send.userId || upload.chatId !== send.chatId)
        throw problem(attachmentErrors.attachmentNotFound, `No upload of yours here has id ${id}.`);
      return upload;
    });
  }

  private async assertUploaded(upload: UploadDoc): Promise<void> {
    const stored = await storageCall(() =>
      this.deps.storage.stat(objectKey(upload.chatId, upload._id)),
    );
    if (stored?.size === upload.size && stored.contentType === upload.mimeType) return;
    // The sweep may have discarded it between the read of the upload and this look at the file.
    const holder = await this.deps.store.claims.findById(upload._id).lean<ClaimDoc>();
    if (holder?.senderId === DISCARDED)
      throw problem(
        attachmentErrors.attachmentNotFound,
        `Upload ${upload._id} was discarded unsent.`,
      );
    throw problem(
      attachmentErrors.attachmentNotUploaded,
      `Attachment ${upload._id} is not uploaded as ${upload.mimeType} of ${upload.size} bytes.`,
    );
  }

  /** True when this call took the claim, false when this send held it already. */
  private async take(send: ClaimingSend, id: string): Promise<boolean> {
    const claim: ClaimDoc = {
      _id: id,
      chatId: send.chatId,
      senderId: send.userId,
      clientMsgId: send.clientMsgId,
      claimedAt: new Date(),
    };
    try {
      await this.deps.store.claims.create(claim);
      return true;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    const holder = await this.deps.store.claims.findById(id).lean<ClaimDoc>();
    if (holder?.senderId === DISCARDED)
      throw problem(attachmentErrors.attachmentNotFound, `Upload ${id} was discarded unsent.`);
    if (
      holder?.chatId === send.chatId &&
      holder.senderId === send.userId &&
      holder.clientMsgId === send.clientMsgId
    )
      return false;
    throw problem(attachmentErrors.attachmentTaken, `Attachment ${id} is on another message.`);
  }
}

function assertFew(ids: readonly string[]): void {
  if (ids.length > MAX_ATTACHMENTS)
    throw problems.validation([
      { path: 'attachmentIds', message: `At most ${MAX_ATTACHMENTS} attachments` },
    ]);
  if (new Set(ids).size !== ids.length)
    throw problems.validation([
      { path: 'attachmentIds', message: 'An attachment is listed twice' },
    ]);
}

function problem(spec: ErrorSpec, detail: string): HttpProblem {
  return new HttpProblem(spec.status, spec.code, detail);
}

function storedAttachment(upload: UploadDoc): MessageAttachment {
  return {
    id: upload._id,
    mimeType: upload.mimeType,
    size: upload.size,
    ...(upload.width === null ? {} : { width: upload.width }),
    ...(upload.height === null ? {} : { height: upload.height }),
  };
}
