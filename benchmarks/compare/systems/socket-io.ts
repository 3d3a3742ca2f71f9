/** Dropping and re-opening a Socket.IO client connection (the platform's and the relay's). */
import type { Socket } from 'socket.io-client';

const CONNECT_TIMEOUT_MS = 10_000;

/** Closes the transport under the socket without a disconnect packet, as a lost network does. */
export function dropTransport(socket: Socket): void {
  socket.io.engine.close();
}

/** Connects the socket again; one already connected (a retry after a later step failed) is left be. */
export function reconnect(socket: Socket): Promise<void> {
  if (socket.connected) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      finish(new Error('reconnect timed out'));
    }, CONNECT_TIMEOUT_MS);
    const onConnect = () => {
      finish();
    };
    const onError = (error: Error) => {
      finish(error);
    };
    function finish(error?: Error): void {
      clearTimeout(timer);
      socket.off('connect', onConnect);
      socket.off('connect_error', onError);
      if (error) {
        socket.disconnect();
        reject(error);
      } else resolve();
    }
    socket.once('connect', onConnect);
    socket.once('connect_error', onError);
    socket.connect();
  });
}
