/** Attachments as tests use them: start an upload, PUT the bytes, send them, fetch them back. */
import { randomUUID } from 'node:crypto';
import type { Message, UploadTicket } from '@messenger/contracts';
import { call, type Answer } from '../http.js';
import type { TestUser } from '../users.js';

/** The stack's S3 server, as scripts/stack/env.sh exports it, and messaging's default bucket. */
export const s3 = {
  endpoint: process.env['S3_ENDPOINT'] ?? 'http://127.0.0.1:57070',
  region: process.env['S3_REGION'] ?? 'us-east-1',
  accessKeyId: process.env['S3_ACCESS_KEY_ID'] ?? 'messenger-local',
  secretAccessKey: process.env['S3_SECRET_ACCESS_KEY'] ?? 'messenger-local-secret',
  bucket: process.env['S3_BUCKET'] ?? 'messenger-attachments',
};

export interface FileToUpload {
  mimeType: string;
  bytes: Uint8Array;
  width?: number;
  height?: number;
}

/** Some bytes of a given length, different each call. */
export function someBytes(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i += 1) bytes[i] = (i * 31 + length) % 256;
  bytes.set(Buffer.from(randomUUID()).subarray(0, Math.min(length, 36)));
  return bytes;
}

export function startUpload(
  url: string,
  user: TestUser,
  body: Record<string, unknown>,
): Promise<Answer<UploadTicket>> {
  return call<UploadTicket>('POST', `${url}/api/v1/uploads`, { token: user.token, body });
}

/** The PUT a client makes with a ticket: its status and S3's answer. */
export async function putFile(
  ticket: UploadTicket,
  bytes: Uint8Array,
  headers: Record<string, string> = ticket.headers,
): Promise<{ status: number; text: string }> {
  const response = await fetch(ticket.uploadUrl, {
    method: ticket.method,
    headers,
    body: bytes,
    signal: AbortSignal.timeout(15_000),
  });
  return { status: response.status, text: await response.text() };
}

/** Uploads a file for the chat the way a client does; the attachment's id. */
export async function uploadFile(
  url: string,
  user: TestUser,
  chatId: string,
  file: FileToUpload,
): Promise<string> {
  const { bytes, ...declared } = file;
  const ticket = await startUpload(url, user, { chatId, ...declared, size: bytes.length });
  if (ticket.status !== 201)
    throw new Error(`upload: ${ticket.status} ${JSON.stringify(ticket.body)}`);
  const put = await putFile(ticket.body, bytes);
  if (put.status !== 200) throw new Error(`PUT: ${put.status} ${put.text}`);
  return ticket.body.attachmentId;
}

export function sendAttachments(
  url: string,
  user: TestUser,
  chatId: string,
  attachmentIds: string[],
  options: { content?: string; clientMsgId?: string } = {},
): Promise<Answer<Message>> {
  return call<Message>('POST', `${url}/api/v1/chats/${chatId}/messages`, {
    token: user.token,
    body: {
      clientMsgId: options.clientMsgId ?? randomUUID(),
      content: options.content ?? '',
      attachmentIds,
    },
  });
}

/** The bytes behind an attachment's URL, as anyone holding the URL gets them. */
export async function download(
  attachmentUrl: string,
): Promise<{ status: number; contentType: string; bytes: Uint8Array }> {
  const response = await fetch(attachmentUrl, { signal: AbortSignal.timeout(15_000) });
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    bytes: new Uint8Array(await response.arrayBuffer()),
  };
}
