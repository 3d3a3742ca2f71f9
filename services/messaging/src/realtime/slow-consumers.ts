import type { Counter, Logger } from '@messenger/platform';
import type { MessagingServer, MessagingSocket } from '../socket-types.js';

export interface SlowConsumerOptions {
  /** A socket with more than this queued for it and not yet sent is cut off. */
  maxQueuedBytes: number;
  intervalMs: number;
  cutOffCount: Counter<'reason'>;
  logger: Logger;
}

/** The engine.io and ws internals that hold what a socket has not read yet. */
interface Transport {
  socket?: { bufferedAmount?: number; terminate?: () => void };
}
interface Connection {
  transport: Transport;
  writeBuffer?: { data?: unknown }[];
}

/**
 * What is queued for a socket and not yet on the network: engine.io's packets waiting for the
 * transport to drain, and the bytes the websocket holds (`bufferedAmount`). A client that reads
 * keeps both near zero; one that stopped reading makes them grow with every event for it.
 */
export function queuedBytes(socket: MessagingSocket): number {
  const conn = socket.conn as unknown as Connection;
  let bytes = conn.transport.socket?.bufferedAmount ?? 0;
  for (const packet of conn.writeBuffer ?? []) {
    const { data } = packet;
    if (typeof data === 'string') bytes += data.length;
    else if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) bytes += data.byteLength;
  }
  return bytes;
}

/**
 * Every interval, cuts off the sockets of this instance that have more than the bound queued
 * for them: a client that stopped reading would otherwise hold that memory for as long as its
 * connection lives. The connection is torn down at once (a close handshake would wait behind the
 * queue); the client reconnects and `sync`s whatever it missed.
 */
export class SlowConsumerSweep {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly io: MessagingServer,
    private readonly options: SlowConsumerOptions,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.sweep();
    }, this.options.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private sweep(): void {
    for (const socket of this.io.of('/').sockets.values()) {
      const queued = queuedBytes(socket);
      if (queued <= this.options.maxQueuedBytes) continue;
      this.options.cutOffCount.inc({ reason: 'slow_consumer' });
      this.options.logger.warn(
        { userId: socket.data.auth.userId, queuedBytes: queued },
        'cutting off a socket that does not read',
      );
      const conn = socket.conn as unknown as Connection;
      if (conn.transport.socket?.terminate) conn.transport.socket.terminate();
      else socket.disconnect(true);
    }
  }
}
