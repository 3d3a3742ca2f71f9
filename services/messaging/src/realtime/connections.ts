import type { MessagingMetrics } from '../metrics.js';
import type { PresenceTracker } from '../presence/presence-tracker.js';
import { registerHandlers, type HandlerDeps } from './socket-handlers.js';
import { sessionRoom, userRoom, type MessagingServer } from '../socket-types.js';

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
    deps.metrics.socketConnects.inc();
    registerHandlers(socket, deps);
    // Reconnect-and-sync volume, answered or refused; onAny, not on(), adds no second span.
    socket.onAny((event: string) => {
      if (event === 'sync') deps.metrics.syncRequests.inc();
    });
    void deps.presence.connected(userId, socket.id);
    socket.on('disconnect', (reason) => {
      deps.metrics.socketConnections.dec();
      deps.metrics.socketDisconnects.inc({ reason });
      void deps.presence.disconnected(userId, socket.id);
    });
  });
}
