/** Socket.IO clients for tests, connected straight to one messaging instance or to the gateway. */
import { setTimeout as sleep } from 'node:timers/promises';
import { io, type Socket } from 'socket.io-client';
import type { ErrorAck, SyncAck, SyncRequest } from '@messenger/contracts';
import { messagingUrls } from './service-urls.js';

/** The two instances the stack runs; tests talk to both. */
export const [instanceA = '', instanceB = instanceA] = messagingUrls;

export function openSocket(url: string, token: unknown): Socket {
  return io(url, {
    path: '/ws',
    transports: ['websocket'],
    auth: { token },
    reconnection: false,
    forceNew: true,
    timeout: 10_000,
  });
}

export async function connectSocket(url: string, token: string): Promise<Socket> {
  const socket = openSocket(url, token);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => {
      resolve();
    });
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
  return socket;
}

/** The error of a refused connection (its `data` carries the code). */
export function refusal(url: string, token: unknown): Promise<Error & { data?: unknown }> {
  const socket = openSocket(url, token);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => {
      socket.close();
      reject(new Error('the connection was accepted'));
    });
    socket.once('connect_error', (error) => {
      socket.close();
      resolve(error);
    });
  });
}

export function emitWithAck<T = Record<string, unknown>>(
  socket: Socket,
  event: string,
  ...args: unknown[]
): Promise<T> {
  return socket.timeout(15_000).emitWithAck(event, ...args) as Promise<T>;
}

/**
 * `sync` as docs/api.md asks a client to: a `rate_limited` answer is sent again after its
 * `retryAfterMs`, up to `attempts` times; the last answer otherwise.
 */
export async function syncAsClient(
  socket: Socket,
  chats: SyncRequest[],
  attempts = 30,
): Promise<SyncAck | ErrorAck> {
  for (let attempt = 1; ; attempt += 1) {
    const answer = await emitWithAck<SyncAck | ErrorAck>(socket, 'sync', { chats });
    if (!('error' in answer) || answer.error.code !== 'rate_limited' || attempt >= attempts)
      return answer;
    await sleep(answer.retryAfterMs ?? 1000);
  }
}

/** Resolves with the first `event` payload that satisfies `match`. */
export function nextEvent<T>(
  socket: Socket,
  event: string,
  match: (payload: T) => boolean = () => true,
  timeoutMs = 10_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, listener);
      reject(new Error(`no matching ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (payload: T): void => {
      if (!match(payload)) return;
      clearTimeout(timer);
      socket.off(event, listener);
      resolve(payload);
    };
    socket.on(event, listener);
  });
}

/** Every `event` payload from now on. */
export function record<T>(socket: Socket, event: string): T[] {
  const seen: T[] = [];
  socket.on(event, (payload: T) => seen.push(payload));
  return seen;
}

export function closeAll(...sockets: Socket[]): void {
  for (const socket of sockets) socket.close();
}
