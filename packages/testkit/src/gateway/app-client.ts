/** A client of the platform as an app would be one: only the gateway, over fetch and Socket.IO. */
import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { gatewayUrl } from '../service-urls.js';
import { uniqueNickname } from '../users.js';

export const api = `${gatewayUrl}/api/v1`;

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

export async function call<T = Record<string, unknown>>(
  method: string,
  path: string,
  options: {
    token?: string;
    body?: unknown;
    rawBody?: string;
    headers?: Record<string, string>;
  } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = JSON.stringify(options.body);
  }
  const response = await fetch(`${api}${path}`, {
    method,
    headers,
    ...(body !== undefined ? { body } : {}),
    redirect: 'manual',
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: (text ? JSON.parse(text) : {}) as T,
  };
}

export interface TestUser {
  id: string;
  email: string;
  nickname: string;
  password: string;
  accessToken: string;
  refreshToken: string;
}

export async function register(prefix = 'user'): Promise<TestUser> {
  const nickname = uniqueNickname(prefix);
  const email = `${nickname}@example.com`;
  const password = `pw-${randomUUID()}`;
  const response = await call<{ user: { id: string }; accessToken: string; refreshToken: string }>(
    'POST',
    '/auth/register',
    {
      body: { email, password, nickname },
    },
  );
  if (response.status !== 201)
    throw new Error(`register failed: ${response.status} ${JSON.stringify(response.body)}`);
  return {
    id: response.body.user.id,
    email,
    nickname,
    password,
    accessToken: response.body.accessToken,
    refreshToken: response.body.refreshToken,
  };
}

export async function befriend(a: TestUser, b: TestUser): Promise<void> {
  const request = await call<{ id: string }>('POST', '/friends/requests', {
    token: a.accessToken,
    body: { userId: b.id },
  });
  if (request.status !== 201)
    throw new Error(`friend request failed: ${request.status} ${JSON.stringify(request.body)}`);
  const accepted = await call('POST', `/friends/requests/${request.body.id}/accept`, {
    token: b.accessToken,
  });
  if (accepted.status !== 200)
    throw new Error(`accept failed: ${accepted.status} ${JSON.stringify(accepted.body)}`);
}

export async function connectSocket(token: string, url = gatewayUrl): Promise<Socket> {
  const socket = io(url, {
    path: '/ws',
    transports: ['websocket'],
    auth: { token },
    reconnection: false,
    forceNew: true,
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error('socket connect timed out'));
    }, 10_000);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.once('connect_error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
  return socket;
}
