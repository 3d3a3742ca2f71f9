import { Server } from 'socket.io';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { lifecycleState, type Redis, type TokenVerifier } from '@messenger/platform';
import type { MessagingServer } from '../socket-types.js';
import type { CutOffs } from './cut-offs.js';

export const SOCKET_PATH = '/ws';

/**
 * The Socket.IO server on /ws: websocket transport only, rooms shared between instances through
 * the Redis streams adapter (which resumes after a Redis reconnect), and the access token checked
 * at the handshake (a revoked session is refused). Draining instances refuse new sockets, and
 * a user just cut off for flooding is refused `rate_limited` until the cut-off ends.
 */
export function createSocketServer(
  redis: Redis,
  verify: TokenVerifier,
  cutOffs: CutOffs,
): MessagingServer {
  const io: MessagingServer = new Server({
    path: SOCKET_PATH,
    transports: ['websocket'],
    serveClient: false,
    maxHttpBufferSize: 64 * 1024,
    adapter: createAdapter(redis, { streamName: 'messaging:socket.io' }),
  });
  io.use((socket, next) => {
    if (lifecycleState.draining) {
      next(refusal('unavailable', 'This instance is shutting down; reconnect.'));
      return;
    }
    const token: unknown = (socket.handshake.auth as Record<string, unknown>)['token'];
    if (typeof token !== 'string' || token.length === 0) {
      next(refusal('unauthorized', 'Connect with auth: {token: <accessToken>}.'));
      return;
    }
    verify(token).then(
      async (auth) => {
        const retryAfterMs = await cutOffs.retryAfterMs(auth.userId).catch(() => 0);
        if (retryAfterMs > 0) {
          next(
            refusal('rate_limited', 'Closed for flooding; connect again later.', {
              retryAfterMs,
            }),
          );
          return;
        }
        socket.data.auth = auth;
        next();
      },
      () => {
        next(refusal('unauthorized', 'The access token is invalid, expired or revoked.'));
      },
    );
  });
  return io;
}

function refusal(
  code: string,
  detail: string,
  extra: Record<string, unknown> = {},
): Error & { data: unknown } {
  return Object.assign(new Error(code), { data: { code, detail, ...extra } });
}
