import type { Server, Socket } from 'socket.io';
import type { AuthContext } from '@messenger/platform';
import type { Chat, Message, PresenceStatus, Receipt } from '@messenger/contracts';

/** Server → client events of docs/api.md, "Real time". */
export interface ServerToClientEvents {
  'message:new': (message: Message) => void;
  /** An edit, a delete or a reaction change; `changeSeq` null for a delete for oneself. */
  'message:updated': (update: { message: Message; changeSeq: number | null }) => void;
  'message:receipt': (receipt: Receipt) => void;
  typing: (event: { chatId: string; userId: string; typing: boolean }) => void;
  presence: (event: { userId: string } & PresenceStatus) => void;
  'chat:updated': (chat: Chat) => void;
}

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
