import type { Server, Socket } from 'socket.io';
import type { AuthContext } from '@messenger/platform';
import type { ServerToClientEvents } from '@messenger/contracts';

/** Client → server events: untrusted payloads, each answered through its ack. */
type Handler = (payload: unknown, ack?: unknown) => void;
export interface ClientToServerEvents {
  'message:send': Handler;
  'message:delivered': Handler;
  typing: Handler;
  sync: Handler;
}

export interface SocketData {
  auth: AuthContext;
}

export type MessagingServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;
export type MessagingSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;

/** Every socket of a user joins this room; deliveries target it. */
export function userRoom(userId: string): string {
  return `user:${userId}`;
}

/** Every socket of one session, so a revocation can close them. */
export function sessionRoom(sessionId: string): string {
  return `session:${sessionId}`;
}
