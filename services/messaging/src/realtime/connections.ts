import type { MessagingMetrics } from '../metrics.js';
import type { PresenceTracker } from '../presence/presence-tracker.js';
import { registerHandlers, type HandlerDeps } from './socket-handlers.js';
import { sessionRoom, userRoom, type MessagingServer } from './socket-types.js';

export interface ConnectionDeps extends HandlerDeps {
  metrics: MessagingMetrics;
  presence: PresenceTracker;
}

/** Each authenticated socket joins its user's and its session's rooms and counts for presence. */
export function acceptConnections(io: MessagingServer, deps: ConnectionDeps): void {
  io.on('connection', (socket) => {
    const { userId, sessionId } = socket.data.auth;
    void socket.join([userRoom(userId), sessionRoom(sessionId)]);
    deps.metrics.socketConnections.inc();
    registerHandlers(socket, deps);
    void deps.presence.connected(userId, socket.id);
    socket.on('disconnect', () => {
      deps.metrics.socketConnections.dec();
      void deps.presence.disconnected(userId, socket.id);
    });
  });
}
