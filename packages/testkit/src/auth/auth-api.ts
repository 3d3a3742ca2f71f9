/** Helpers for the auth service's integration tests: service URLs, HTTP calls, test users. */
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { authUrl, profileUrl, sessionUrl } from '../service-urls.js';
import { uniqueName } from '../stack.js';

export const urls = {
  auth: authUrl,
  session: sessionUrl,
  profile: profileUrl,
  smtpSink: process.env['SMTP_SINK_URL'] ?? 'http://127.0.0.1:51080',
};

export interface Reply<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export interface CallOptions {
  body?: unknown;
  token?: string;
  headers?: Record<string, string>;
}

export async function call<T = unknown>(
  method: string,
  url: string,
  options: CallOptions = {},
): Promise<Reply<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] ??= 'application/json';
  const response = await fetch(url, {
    method,
    headers,
    redirect: 'manual',
    ...(options.body !== undefined
      ? { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) }
      : {}),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, headers: response.headers, body: body as T };
}

export const auth = (path: string) => `${urls.auth}/api/v1/auth/${path}`;

export function assertProblem(reply: Reply, status: number, code: string): void {
  assert.equal(reply.status, status, JSON.stringify(reply.body));
  assert.match(reply.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.equal((reply.body as { code?: unknown }).code, code, JSON.stringify(reply.body));
}

export interface AuthResult {
  user: { id: string; email: string; nickname: string; emailVerified: boolean };
  accessToken: string;
  refreshToken: string;
  tokenType: string;
  expiresIn: number;
}

export function assertAuthResult(body: unknown): asserts body is AuthResult {
  const result = body as AuthResult;
  assert.deepEqual(Object.keys(result).sort(), [
    'accessToken',
    'expiresIn',
    'refreshToken',
    'tokenType',
    'user',
  ]);
  assert.deepEqual(Object.keys(result.user).sort(), ['email', 'emailVerified', 'id', 'nickname']);
  assert.equal(result.tokenType, 'Bearer');
  assert.equal(result.expiresIn, 900);
}

export const uniqueEmail = (prefix = 'user') => `${uniqueName(prefix)}@example.com`;
export const uniqueNickname = (prefix = 'u') => uniqueName(prefix).slice(0, 32);
export const PASSWORD = 'plum orbit velvet 42';

/**
 * A made-up client address (RFC 2544 benchmark range) sent as X-Forwarded-For, as the gateway
 * does; it keeps each test's failed logins out of the other tests' per-address budget.
 */
export function clientAddress(): string {
  return `198.${18 + randomInt(2)}.${randomInt(256)}.${randomInt(1, 255)}`;
}

export interface Registered {
  email: string;
  nickname: string;
  password: string;
  result: AuthResult;
}

export async function register(
  fields: Partial<{ email: string; nickname: string; password: string }> = {},
): Promise<Registered> {
  const email = fields.email ?? uniqueEmail();
  const nickname = fields.nickname ?? uniqueNickname();
  const password = fields.password ?? PASSWORD;
  const reply = await call('POST', auth('register'), { body: { email, nickname, password } });
  assert.equal(reply.status, 201, JSON.stringify(reply.body));
  assert.equal(reply.headers.get('cache-control'), 'no-store');
  assertAuthResult(reply.body);
  return { email, nickname, password, result: reply.body };
}

export function login(email: string, password: string, ip = clientAddress()) {
  return call<AuthResult>('POST', auth('login'), {
    body: { email, password },
    headers: { 'x-forwarded-for': ip },
  });
}

/** Whether another service (session) still accepts the access token. */
export async function sessionAccepts(token: string): Promise<boolean> {
  const reply = await call('GET', `${urls.session}/api/v1/sessions`, { token });
  if (reply.status === 401) return false;
  assert.equal(reply.status, 200);
  return true;
}
