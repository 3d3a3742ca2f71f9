import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { createProxyMiddleware } from 'http-proxy-middleware';
import type { Logger } from '@messenger/platform';
import type { UpstreamPool } from './upstream-pool.js';

export const WEBSOCKET_PATH = '/ws';

export interface WebsocketProxy {
  attach: (server: Server) => void;
  /** Closes every proxied connection; clients reconnect to another gateway pod. */
  closeAll: () => Promise<void>;
}

/**
 * Proxies the Socket.IO websocket upgrade on /ws to the ready messaging instances in turn. No
 * sticky sessions are needed: clients use the websocket transport only, so one connection is one
 * socket. An instance whose upgrade fails is ejected from the pool for a while. The connections
 * to an instance that stays unready (wedged, or cut off from its stores) while another is ready
 * are closed, so their clients reconnect to a ready one and `sync`.
 */
export function websocketProxy(pool: UpstreamPool, logger: Logger): WebsocketProxy {
  const open = new Set<Duplex>();
  const targetOf = new WeakMap<IncomingMessage, string>();
  const clientOf = new WeakMap<IncomingMessage, Duplex>();
  const byTarget = new Map<string, Set<Duplex>>();
  pool.onUnready((target) => {
    const sockets = byTarget.get(target);
    if (!sockets?.size) return;
    logger.warn({ target, sockets: sockets.size }, 'moving websockets off an unready instance');
    for (const socket of sockets) socket.destroy();
  });
  const proxy = createProxyMiddleware({
    router: (req) => {
      const target = pool.pick();
      targetOf.set(req, target);
      const client = clientOf.get(req);
      if (client && !client.destroyed) {
        const sockets = byTarget.get(target) ?? new Set<Duplex>();
        byTarget.set(target, sockets.add(client));
        client.once('close', () => sockets.delete(client));
      }
      return target;
    },
    changeOrigin: true,
    ws: true,
    xfwd: true,
    on: {
      error: (error, req, target) => {
        logger.warn({ err: error }, 'websocket proxy error');
        const upstream = targetOf.get(req);
        if (upstream) pool.eject(upstream);
        if ('destroy' in target) target.destroy();
      },
    },
  });
  const isWebsocketPath = (req: IncomingMessage): boolean =>
    (req.url ?? '').split('?')[0]?.replace(/\/$/, '') === WEBSOCKET_PATH;
  return {
    attach: (server) => {
      server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
        if (!isWebsocketPath(req)) {
          socket.destroy();
          return;
        }
        open.add(socket);
        socket.once('close', () => open.delete(socket));
        clientOf.set(req, socket);
        proxy.upgrade(req, socket, head);
      });
    },
    closeAll: () => {
      for (const socket of open) socket.destroy();
      return Promise.resolve();
    },
  };
}
