/** Helpers for the session service's integration tests: its URL, its database, HTTP calls. */
import { randomUUID } from 'node:crypto';
import assert from 'node:assert/strict';
import { sessionUrl } from '../service-urls.js';
import { stack } from '../stack.js';

/** The session service's own database on the stack's server (as scripts/stack derives it). */
export function sessionDatabaseUrl(): string {
  const url = new URL(stack.databaseUrl);
  url.pathname = '/session';
  return url.toString();
}

export interface Reply {
  status: number;
  contentType: string;
  body: unknown;
}

export async function call(
  method: string,
  path: string,
  options: { body?: unknown; token?: string; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] ??= 'application/json';
  const response = await fetch(new URL(path, sessionUrl), {
    method,
    headers,
    ...(options.body !== undefined
      ? { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) }
      : {}),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    body: text ? (JSON.parse(text) as unknown) : undefined,
  };
}

export interface Tokens {
  accessToken: string;
  refreshToken: string;
  tokenType: string;
  expiresIn: number;
  sessionId: string;
  userId: string;
}

/** Logs a (made-up) user in through the internal endpoint auth uses. */
export async function openSession(
  userId: string = randomUUID(),
  client: { userAgent?: string; ip?: string } = {},
): Promise<Tokens> {
  const reply = await call('POST', '/internal/sessions', { body: { userId, ...client } });
  assert.equal(reply.status, 201, JSON.stringify(reply.body));
  return reply.body as Tokens;
}

export function assertProblem(reply: Reply, status: number, code: string): void {
  assert.equal(reply.status, status, JSON.stringify(reply.body));
  assert.match(reply.contentType, /^application\/problem\+json/);
  assert.equal((reply.body as { code?: unknown }).code, code);
}
