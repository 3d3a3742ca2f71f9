import { mongoose } from '@messenger/platform';
import type { Connection, Model } from 'mongoose';

/**
 * One upload a member started: who, for which chat, and what they declared. Inserted once under
 * the attachment's id and never changed; the object is `<chatId>/<id>` in the bucket. Deleted by
 * the sweep (unsent-uploads.ts) once it is older than ATTACHMENT_KEEP_UNSENT_SECONDS.
 */
export interface UploadDoc {
  _id: string;
  uploaderId: string;
  chatId: string;
  mimeType: string;
  size: number;
  width: number | null;
  height: number | null;
  createdAt: Date;
}

/**
 * An attachment put on a message: inserted under the attachment's id, so the unique `_id` lets
 * one message take it; the sender's client message id lets a retry of that send take it again.
 * The sweep takes an unsent upload the same way, as DISCARDED, before it deletes the file.
 */
export interface ClaimDoc {
  _id: string;
  chatId: string;
  senderId: string;
  clientMsgId: string;
  claimedAt: Date;
}

const uploadSchema = new mongoose.Schema<UploadDoc>(
  {
    _id: { type: String, required: true },
    uploaderId: { type: String, required: true },
    chatId: { type: String, required: true },
    mimeType: { type: String, required: true },
    size: { type: Number, required: true },
    width: { type: Number, default: null },
    height: { type: Number, default: null },
    createdAt: { type: Date, required: true },
  },
  { collection: 'attachment_uploads', versionKey: false },
);
// The sweep's oldest uploads first.
uploadSchema.index({ createdAt: 1 });

const claimSchema = new mongoose.Schema<ClaimDoc>(
  {
    _id: { type: String, required: true },
    chatId: { type: String, required: true },
    senderId: { type: String, required: true },
    clientMsgId: { type: String, required: true },
    claimedAt: { type: Date, required: true },
  },
  { collection: 'attachment_claims', versionKey: false },
);

export interface AttachmentStore {
  uploads: Model<UploadDoc>;
  claims: Model<ClaimDoc>;
}

/** The holder of an upload's claim when the sweep discarded it unsent (a user id is a UUID). */
export const DISCARDED = 'discarded-unsent';

/**
 * The attachments' collections on messaging's connection: claims are read by `_id` only, uploads
 * by `_id` and, by the sweep, by age.
 */
export async function openAttachmentStore(connection: Connection): Promise<AttachmentStore> {
  const store: AttachmentStore = {
    uploads: connection.model<UploadDoc>('AttachmentUpload', uploadSchema),
    claims: connection.model<ClaimDoc>('AttachmentClaim', claimSchema),
  };
  await Promise.all([store.uploads.init(), store.claims.init()]);
  return store;
}

/** Where the attachment's bytes are in the bucket. */
export function objectKey(chatId: string, attachmentId: string): string {
  return `${chatId}/${attachmentId}`;
}
