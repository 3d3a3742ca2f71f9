import {
  CreateBucketCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  NotFound,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Logger } from '@messenger/platform';

export interface ObjectStorageSettings {
  endpoint: string | undefined;
  region: string;
  bucket: string;
  accessKeyId: string | undefined;
  secretAccessKey: string | undefined;
  forcePathStyle: boolean;
}

/** What a stored object is, as S3 reports it. */
export interface StoredObject {
  size: number;
  contentType: string | undefined;
}

/** Headers the presigned PUT signs, so S3 refuses an upload of another type or length. */
const BOUND_HEADERS = new Set(['content-type', 'content-length']);

/** One bucket of an S3-compatible server: signed upload and download URLs, and what is stored. */
export class ObjectStorage {
  private readonly client: S3Client;

  constructor(
    private readonly settings: ObjectStorageSettings,
    private readonly timeoutMs: number,
  ) {
    const { accessKeyId, secretAccessKey } = settings;
    if ((accessKeyId === undefined) !== (secretAccessKey === undefined))
      throw new Error('S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY: set both or neither');
    this.client = new S3Client({
      region: settings.region,
      forcePathStyle: settings.forcePathStyle,
      ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
      ...(accessKeyId && secretAccessKey ? { credentials: { accessKeyId, secretAccessKey } } : {}),
      // A checksum of the body is unknown when the URL is signed; the client must not need one.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: 2,
    });
  }

  /** Creates the bucket when it does not exist (a local server; in production it exists). */
  async ensureBucket(logger: Logger): Promise<void> {
    const Bucket = this.settings.bucket;
    try {
      await this.client.send(new HeadBucketCommand({ Bucket }), this.deadline());
      return;
    } catch (error) {
      if (!(error instanceof NotFound) && statusOf(error) !== 404) throw error;
    }
    await this.client.send(new CreateBucketCommand({ Bucket }), this.deadline());
    logger.info({ bucket: Bucket }, 'created the attachments bucket');
  }

  /** A URL to PUT exactly `size` bytes of `contentType` at `key`, for `expiresIn` seconds. */
  uploadUrl(key: string, contentType: string, size: number, expiresIn: number): Promise<string> {
    const command = new PutObjectCommand({
      Bucket: this.settings.bucket,
      Key: key,
      ContentType: contentType,
      ContentLength: size,
    });
    return getSignedUrl(this.client, command, { expiresIn, signableHeaders: BOUND_HEADERS });
  }

  /** A URL to GET the object at `key`, for `expiresIn` seconds. */
  downloadUrl(key: string, expiresIn: number): Promise<string> {
    const command = new GetObjectCommand({ Bucket: this.settings.bucket, Key: key });
    return getSignedUrl(this.client, command, { expiresIn });
  }

  /** The object at `key`, or undefined when nothing is stored there. */
  async stat(key: string): Promise<StoredObject | undefined> {
    try {
      const head = await this.client.send(
        new HeadObjectCommand({ Bucket: this.settings.bucket, Key: key }),
        this.deadline(),
      );
      return { size: head.ContentLength ?? 0, contentType: head.ContentType };
    } catch (error) {
      if (error instanceof NotFound || statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  /** Deletes the objects at `keys` (missing ones are no error). */
  async remove(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.client.send(
      new DeleteObjectsCommand({
        Bucket: this.settings.bucket,
        Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true },
      }),
      this.deadline(),
    );
  }

  close(): void {
    this.client.destroy();
  }

  private deadline(): { abortSignal: AbortSignal } {
    return { abortSignal: AbortSignal.timeout(this.timeoutMs) };
  }
}

function statusOf(error: unknown): number | undefined {
  return error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
}
