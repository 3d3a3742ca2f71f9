import { z } from 'zod';

/** An unset or empty variable (the chart and shells both write empty values). */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

/** S3 bucket names: 3-63 lower-case letters, digits, dots and hyphens. */
const bucketName = z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'not an S3 bucket name');

/**
 * Where attachments are stored (any S3-compatible server) and how long their signed URLs live
 * (services/messaging/README.md, "Attachments"). The bucket is created at start-up when missing.
 */
export const attachmentConfig = {
  /** Unset: AWS S3 of S3_REGION. */
  S3_ENDPOINT: optional(z.url({ protocol: /^https?$/ })),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_BUCKET: bucketName.default('messenger-attachments'),
  /** Both or neither; neither: the AWS SDK's default credential chain (e.g. a pod's role). */
  S3_ACCESS_KEY_ID: optional(z.string().min(1)),
  S3_SECRET_ACCESS_KEY: optional(z.string().min(1)),
  /** Path-style URLs (`endpoint/bucket/key`), as most self-hosted servers need. */
  S3_FORCE_PATH_STYLE: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true'),
  /** How long an upload URL may be used. */
  ATTACHMENT_UPLOAD_TTL_SECONDS: z.coerce.number().int().min(10).max(3600).default(300),
  /** How long a download URL in a message view may be used. */
  ATTACHMENT_URL_TTL_SECONDS: z.coerce.number().int().min(10).max(604_800).default(3600),
  /**
   * How long an upload may wait to be put on a message before its file is discarded (at least as
   * long as its upload URL lives), and how often each instance looks for such uploads.
   */
  ATTACHMENT_KEEP_UNSENT_SECONDS: z.coerce.number().int().min(10).max(2_592_000).default(86_400),
  ATTACHMENT_SWEEP_SECONDS: z.coerce.number().int().min(1).max(86_400).default(600),
  /** Uploads a user may have started and not sent yet, while their upload URLs live. */
  ATTACHMENT_PENDING_PER_USER: z.coerce.number().int().min(1).max(1000).default(20),
};
