/**
 * HTTP calls whose TCP connection comes from a chosen loopback address (any of 127.0.0.0/8 on
 * Linux), so a test through a gateway can be many clients: the gateway sees each as its own
 * address, whatever X-Forwarded-For the client writes.
 */
import { request } from 'node:http';
import { randomInt } from 'node:crypto';

export interface AddressReply<T = Record<string, unknown>> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: T;
}

/** A loopback address no other test is likely to use. */
export function loopbackAddress(): string {
  return `127.${randomInt(1, 255)}.${randomInt(256)}.${randomInt(1, 255)}`;
}

export function callFrom<T = Record<string, unknown>>(
  localAddress: string,
  method: string,
  url: string,
  options: { body?: unknown; token?: string; headers?: Record<string, string> } = {},
): Promise<AddressReply<T>> {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  const headers: Record<string, string> = { ...options.headers };
  if (payload !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method, headers, localAddress, timeout: 15_000 }, (reply) => {
      const chunks: Buffer[] = [];
      reply.on('data', (chunk: Buffer) => chunks.push(chunk));
      reply.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({
          status: reply.statusCode ?? 0,
          headers: reply.headers,
          body: (text ? JSON.parse(text) : {}) as T,
        });
      });
      reply.on('error', reject);
    });
    outgoing.on('timeout', () => outgoing.destroy(new Error(`${method} ${url} timed out`)));
    outgoing.on('error', reject);
    outgoing.end(payload);
  });
}
