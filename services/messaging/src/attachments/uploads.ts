import { randomUUID } from 'node:crypto';
import { HttpProblem } from '@messenger/platform';
import { attachmentErrors, type UploadBody, type UploadTicket } from '@messenger/contracts';
import type { ChatAccess } from '../access/chat-access.js';
import { objectKey, type AttachmentStore } from './attachment-models.js';
import type { ObjectStorage } from './object-storage.js';
import type { PendingUploads } from './pending-uploads.js';
import { storageCall } from './storage-call.js';

export interface UploadsDeps {
  store: AttachmentStore;
  access: ChatAccess;
  storage: ObjectStorage;
  pending: PendingUploads;
  uploadTtlSeconds: number;
}

/** Starts uploads: a member of the chat gets a signed PUT bound to the declared type and size. */
export class Uploads {
  constructor(private readonly deps: UploadsDeps) {}

  async start(userId: string, body: UploadBody): Promise<UploadTicket> {
    const { store, access, storage, pending, uploadTtlSeconds } = this.deps;
    await access.requireMember(body.chatId, userId);
    const id = randomUUID();
    const createdAt = new Date();
    const expiresAt = new Date(createdAt.getTime() + uploadTtlSeconds * 1000);
    const freeAt = await pending.reserve(userId, id, expiresAt);
    if (freeAt !== null) throw tooManyUploads(freeAt);
    await store.uploads.create({
      _id: id,
      uploaderId: userId,
      chatId: body.chatId,
      mimeType: body.mimeType,
      size: body.size,
      width: body.width ?? null,
      height: body.height ?? null,
      createdAt,
    });
    const uploadUrl = await storageCall(() =>
      storage.uploadUrl(objectKey(body.chatId, id), body.mimeType, body.size, uploadTtlSeconds),
    );
    return {
      attachmentId: id,
      uploadUrl,
      method: 'PUT',
      headers: { 'Content-Type': body.mimeType },
      expiresAt: expiresAt.toISOString(),
    };
  }
}

function tooManyUploads(freeAt: number): HttpProblem {
  const { status, code, meaning } = attachmentErrors.tooManyUploads;
  const retryAfter = Math.max(1, Math.ceil((freeAt - Date.now()) / 1000));
  return new HttpProblem(status, code, meaning, undefined, { 'retry-after': String(retryAfter) });
}
