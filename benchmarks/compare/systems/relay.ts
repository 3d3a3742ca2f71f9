/** The bare relay (relay-server.ts) on two processes and a Redis of its own. */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Socket } from 'socket.io-client';
import { startRedis, type RedisServer } from '../redis-server.js';
import { freePort } from '@messenger/testkit/free-port';
import { startServer, stopServer, waitForServer, type Server } from '../processes.js';
import { connectSocket, emitWithAck } from '@messenger/testkit/sockets';
import { dropTransport, reconnect } from './socket-io.js';
import type { Client, Conversation, Identity, System } from './system.js';
import { newSecret, signToken } from './tokens.js';

const INSTANCES = 2;

export function relaySystem(): System {
  const secret = newSecret();
  const servers: Server[] = [];
  const urls: string[] = [];
  const identities: Identity[] = [];
  let redis: RedisServer | undefined;
  let connections = 0;

  async function start(): Promise<void> {
    redis = await startRedis('relay redis');
    for (let i = 0; i < INSTANCES; i += 1) {
      const port = await freePort();
      const server = startServer(
        `relay ${i + 1}`,
        process.execPath,
        ['--conditions=source', '--import', 'tsx', join(__dirname, 'relay-server.ts')],
        { ...process.env, PORT: String(port), REDIS_URL: redis.url, RELAY_TOKEN_SECRET: secret },
      );
      servers.push(server);
      const url = `http://127.0.0.1:${port}`;
      urls.push(url);
      await waitForServer(server, async () => (await fetch(`${url}/healthz`)).ok);
    }
  }

  async function joinRooms(socket: Socket, conversations: Conversation[]): Promise<void> {
    if (conversations.length === 0) return;
    const answer = await emitWithAck<{ ok?: true; error?: string }>(
      socket,
      'join',
      conversations.map((c) => c.id),
    );
    if (!answer.ok) throw new Error(`relay join: ${answer.error}`);
  }

  async function connect(identity: Identity, conversations: Conversation[]): Promise<Client> {
    const url = urls[connections++ % urls.length] ?? '';
    const socket = await connectSocket(url, await signToken(secret, identity.id));
    await joinRooms(socket, conversations);
    return {
      identity,
      send: async (conversationId, body) => {
        const answer = await emitWithAck<{ ok?: true; error?: string }>(socket, 'send', {
          conversationId,
          body,
        });
        if (!answer.ok) throw new Error(`relay send: ${answer.error}`);
      },
      onReceive: (handler) => {
        socket.on('message', (message: { conversationId: string; body: string }) => {
          handler(message.conversationId, message.body);
        });
      },
      drop: () => {
        dropTransport(socket);
      },
      // Nothing to catch up with: the relay keeps no history.
      resume: async () => {
        await reconnect(socket);
        await joinRooms(socket, conversations);
      },
      close: () => socket.close(),
    };
  }

  return {
    name: 'relay',
    start,
    stop: async () => {
      await Promise.all(servers.map(stopServer));
      await redis?.stop();
    },
    serverPids: () => [...servers, ...(redis ? [redis.server] : [])].map((s) => s.pid),
    identities: (count) => {
      while (identities.length < count) identities.push({ id: `relay-user-${identities.length}` });
      return Promise.resolve(identities.slice(0, count));
    },
    conversation: (members) => Promise.resolve({ id: randomUUID(), members }),
    connect,
    cleanup: () => Promise.resolve(),
  };
}
