import { z } from 'zod';
import { idSchema } from '../ids.js';
import { errors, type ErrorSpec } from './errors.js';
import type { Operation } from './operation.js';

/**
 * What a message may carry (docs/api.md, "Attachments"): pictures, short videos, voice and
 * music, PDFs and plain text. Nothing a browser runs when it opens the file (HTML, SVG).
 */
export const ATTACHMENT_TYPES = [
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/gif',
  'video/mp4',
  'audio/mpeg',
  'audio/mp4',
  'audio/ogg',
  'audio/webm',
  'application/pdf',
  'text/plain',
] as const;
/** 25 MiB: a phone's photo or a minute of its video. */
export const MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024;
/** Pixel sizes a client may declare for an image or video. */
const MAX_DIMENSION = 20_000;

const dimension = z.number().int().min(1).max(MAX_DIMENSION);

export const uploadBody = z.object({
  chatId: idSchema,
  mimeType: z.enum(ATTACHMENT_TYPES),
  size: z.number().int().min(1).max(MAX_ATTACHMENT_BYTES),
  width: dimension.optional(),
  height: dimension.optional(),
});
export type UploadBody = z.infer<typeof uploadBody>;

/** Where and how to upload the file: one PUT of exactly the declared bytes, before `expiresAt`. */
export const uploadTicketSchema = z
  .object({
    attachmentId: idSchema,
    uploadUrl: z.url(),
    method: z.literal('PUT'),
    headers: z.record(z.string(), z.string()),
    expiresAt: z.iso.datetime(),
  })
  .meta({
    examples: [
      {
        attachmentId: '6ba7b810-9dad-41d1-80b4-00c04fd430c8',
        uploadUrl:
          'https://s3.example.com/messenger-attachments/c56a4180-65aa-42ec-a945-5fd21dec0538/6ba7b810-9dad-41d1-80b4-00c04fd430c8?X-Amz-Expires=300',
        method: 'PUT',
        headers: { 'Content-Type': 'image/jpeg' },
        expiresAt: '2026-11-21T10:05:00.000Z',
      },
    ],
  });
export type UploadTicket = z.infer<typeof uploadTicketSchema>;

const spec = <const S extends number, const C extends string>(
  status: S,
  code: C,
  meaning: string,
): ErrorSpec & { status: S; code: C } => ({ status, code, meaning });

/** The problems of uploads and of sending their attachments. */
export const attachmentErrors = {
  attachmentNotFound: spec(
    404,
    'attachment_not_found',
    'No upload of yours for this chat has that id.',
  ),
  attachmentNotUploaded: spec(
    409,
    'attachment_not_uploaded',
    'The file was not uploaded, or not with the declared size and type.',
  ),
  attachmentTaken: spec(409, 'attachment_taken', 'The attachment is on another message already.'),
  tooManyUploads: spec(
    429,
    'too_many_uploads',
    'Too many uploads not yet sent; send them or retry after `Retry-After` seconds.',
  ),
} as const;

/** docs/api.md, "Attachments". */
export const uploadOperations = [
  {
    method: 'post',
    path: '/uploads',
    summary: 'Start an upload: a signed, expiring URL to PUT the file to',
    body: uploadBody,
    success: [{ status: 201, description: 'The upload target', body: uploadTicketSchema }],
    errors: [errors.notFound, attachmentErrors.tooManyUploads, errors.unavailable],
  },
] as const satisfies readonly Operation[];
