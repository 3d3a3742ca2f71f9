/**
 * Centrifugo v6 on two nodes with its Redis engine (a Redis of its own) and history with forced
 * recovery on the `conversation` namespace, so a resubscribing client gets what it missed. The
 * binary is built once from the Go module proxy by scripts/bench/centrifugo.sh.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Centrifuge, type PublicationContext, type Subscription } from 'centrifuge';
import WebSocket from 'ws';
import { repoRoot } from '@messenger/testkit/repo-root';
import { startRedis, type RedisServer } from '../redis-server.js';
import { freePort } from '@messenger/testkit/free-port';
import { startServer, stopServer, waitForServer, type Server } from '../processes.js';
import type { Client, Conversation, Identity, System } from './system.js';
import { newSecret, signToken } from './tokens.js';

const INSTANCES = 2;
const TIMEOUT_MS = 10_000;
const NAMESPACE = 'conversation';
const buildScript = join(repoRoot, 'scripts/bench/centrifugo.sh');

function configOf(port: number, redisUrl: string, secret: string): object {
  return {
    log: { level: 'warn' },
    http_server: { address: '127.0.0.1', port },
    health: { enabled: true },
    client: { token: { hmac_secret_key: secret }, allowed_origins: ['*'] },
    engine: { type: 'redis', redis: { address: [redisUrl] } },
    channel: {
      namespaces: [
        {
          name: NAMESPACE,
          history_size: 1000,
          history_ttl: '600s',
          force_recovery: true,
          allow_subscribe_for_client: true,
          allow_publish_for_client: true,
        },
      ],
    },
  };
}

const channelOf = (conversationId: string) => `${NAMESPACE}:${conversationId}`;

export function centrifugoSystem(): System {
  const secret = newSecret();
  const servers: Server[] = [];
  const urls: string[] = [];
  const identities: Identity[] = [];
  let redis: RedisServer | undefined;
  let configDir: string | undefined;
  let connections = 0;

  async function start(): Promise<void> {
    const binary = execFileSync(buildScript, ['path'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    }).trim();
    redis = await startRedis('centrifugo redis');
    configDir = mkdtempSync(join(tmpdir(), 'bench-centrifugo-'));
    for (let i = 0; i < INSTANCES; i += 1) {
      const port = await freePort();
      const config = join(configDir, `node-${i + 1}.json`);
      writeFileSync(config, JSON.stringify(configOf(port, redis.url, secret)));
      const server = startServer(`centrifugo ${i + 1}`, binary, ['--config', config]);
      servers.push(server);
      const url = `http://127.0.0.1:${port}`;
      urls.push(url.replace('http:', 'ws:') + '/connection/websocket');
      await waitForServer(server, async () => (await fetch(`${url}/health`)).ok);
    }
  }

  async function connect(identity: Identity, conversations: Conversation[]): Promise<Client> {
    const url = urls[connections++ % urls.length] ?? '';
    const client = new Centrifuge(url, {
      token: await signToken(secret, identity.id),
      websocket: WebSocket,
      timeout: TIMEOUT_MS,
    });
    const subscriptions: Subscription[] = conversations.map((c) =>
      client.newSubscription(channelOf(c.id)),
    );
    const ready = async () => {
      await client.ready(TIMEOUT_MS);
      await Promise.all(subscriptions.map((s) => s.ready(TIMEOUT_MS)));
    };
    for (const subscription of subscriptions) subscription.subscribe();
    client.connect();
    try {
      await ready();
    } catch (error) {
      client.disconnect();
      throw error;
    }
    return {
      identity,
      send: async (conversationId, body) => {
        await client.publish(channelOf(conversationId), { body });
      },
      onReceive: (handler) => {
        for (const [i, subscription] of subscriptions.entries()) {
          const conversationId = conversations[i]?.id ?? '';
          subscription.on('publication', (context: PublicationContext) => {
            handler(conversationId, (context.data as { body: string }).body);
          });
        }
      },
      drop: () => {
        client.disconnect();
      },
      // The subscriptions keep their stream position and recover from history on resubscribe.
      resume: async () => {
        client.connect();
        await ready();
      },
      close: () => {
        client.disconnect();
      },
    };
  }

  return {
    name: 'centrifugo',
    start,
    stop: async () => {
      await Promise.all(servers.map(stopServer));
      await redis?.stop();
      if (configDir) rmSync(configDir, { recursive: true, force: true });
    },
    serverPids: () => [...servers, ...(redis ? [redis.server] : [])].map((s) => s.pid),
    identities: (count) => {
      while (identities.length < count)
        identities.push({ id: `centrifugo-user-${identities.length}` });
      return Promise.resolve(identities.slice(0, count));
    },
    conversation: (members) => Promise.resolve({ id: randomUUID(), members }),
    connect,
    cleanup: () => Promise.resolve(),
  };
}
