/** A private redis-server for one peer system, on a free port, with nothing persisted. */
import { Redis } from 'ioredis';
import { freePort } from '@messenger/testkit/free-port';
import { startServer, stopServer, waitForServer, type Server } from './processes.js';

export interface RedisServer {
  url: string;
  server: Server;
  stop: () => Promise<void>;
}

export async function startRedis(name: string): Promise<RedisServer> {
  const port = await freePort();
  const server = startServer(name, 'redis-server', [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--maxclients',
    '20000',
  ]);
  const url = `redis://127.0.0.1:${port}`;
  await waitForServer(server, async () => {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0 });
    client.on('error', () => undefined); // not up yet: the next probe tries again
    try {
      await client.connect();
      await client.ping();
      return true;
    } finally {
      client.disconnect();
    }
  });
  return { url, server, stop: () => stopServer(server) };
}
