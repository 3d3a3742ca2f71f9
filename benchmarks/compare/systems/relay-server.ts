/**
 * The bare relay: Socket.IO with the Redis adapter, nothing stored. A client authenticates with
 * an HS256 token (as the platform's do with theirs), joins the rooms of its conversations with
 * `join`, and `send` emits the body to everyone else in the conversation's room on any process,
 * then acknowledges. One process per PORT; run two against one Redis.
 *
 *   PORT=... REDIS_URL=... RELAY_TOKEN_SECRET=... node --conditions=source --import tsx \
 *     benchmarks/compare/systems/relay-server.ts
 */
import { createServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import { jwtVerify } from 'jose';
import { Server } from 'socket.io';
import { z } from 'zod';

const env = z
  .object({
    PORT: z.coerce.number().int().min(1).max(65535),
    REDIS_URL: z.string().startsWith('redis://'),
    RELAY_TOKEN_SECRET: z.string().min(32),
  })
  .parse(process.env);

const key = new TextEncoder().encode(env.RELAY_TOKEN_SECRET);
const joinSchema = z.array(z.string().min(1).max(100)).max(1000);
const sendSchema = z.object({
  conversationId: z.string().min(1).max(100),
  body: z.string().min(1).max(4000),
});
type Ack = (answer: { ok: true } | { error: string }) => void;

const http = createServer((req, res) => {
  res.writeHead(req.url === '/healthz' ? 200 : 404).end();
});
const publisher = new Redis(env.REDIS_URL);
const subscriber = publisher.duplicate();
const io = new Server(http, {
  path: '/ws',
  transports: ['websocket'],
  adapter: createAdapter(publisher, subscriber),
});

io.use((socket, next) => {
  const token: unknown = socket.handshake.auth['token'];
  if (typeof token !== 'string') {
    next(new Error('unauthorized'));
    return;
  }
  jwtVerify(token, key).then(
    ({ payload }) => {
      socket.data = { userId: payload.sub };
      next();
    },
    () => {
      next(new Error('unauthorized'));
    },
  );
});

io.on('connection', (socket) => {
  socket.on('join', (payload: unknown, ack: Ack) => {
    const rooms = joinSchema.safeParse(payload);
    if (!rooms.success) {
      ack({ error: 'validation_failed' });
      return;
    }
    void socket.join(rooms.data.map((id) => `conversation:${id}`));
    ack({ ok: true });
  });
  socket.on('send', (payload: unknown, ack: Ack) => {
    const message = sendSchema.safeParse(payload);
    if (!message.success) {
      ack({ error: 'validation_failed' });
      return;
    }
    socket.to(`conversation:${message.data.conversationId}`).emit('message', message.data);
    ack({ ok: true });
  });
});

http.listen(env.PORT, '127.0.0.1');
process.once('SIGTERM', () => {
  void io.close(() => {
    publisher.disconnect();
    subscriber.disconnect();
    process.exit(0);
  });
});
