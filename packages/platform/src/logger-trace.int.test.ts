// Every JSON log line written inside a request, a Socket.IO event or a consumed Kafka event names
// the trace and span it was written in; a line written outside them names none.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { io as connect } from 'socket.io-client';
import { topics } from '@messenger/contracts';
import { eventually } from '@messenger/testkit/eventually';
import { consumeOwnEvents, kafka } from '@messenger/testkit/kafka';
import { uniqueName } from '@messenger/testkit/stack';
import { startTelemetry } from './telemetry.js';
import { createLogger } from './logger.js';
import { createRegistry } from './metrics.js';
import { connectProducer, ensureTopics } from './kafka/client.js';
import { publishEvents } from './kafka/publish.js';

const exporter = new InMemorySpanExporter();
const sdk = startTelemetry('logger-trace-test', {
  spanProcessors: [new SimpleSpanProcessor(exporter)],
});
after(() => sdk.shutdown());

interface Line {
  msg: string;
  trace_id?: string;
  span_id?: string;
}

const lines: Line[] = [];
const logger = createLogger('logger-trace-test', 'info', {
  write: (line: string) => {
    lines.push(JSON.parse(line) as Line);
  },
});

function lineSaying(msg: string): Line {
  const found = lines.find((line) => line.msg === msg);
  assert.ok(found, `no line "${msg}"`);
  return found;
}

/** The finished span the line names, by its ids. */
function spanOf(line: Line) {
  const span = exporter
    .getFinishedSpans()
    .find(
      (s) => s.spanContext().spanId === line.span_id && s.spanContext().traceId === line.trace_id,
    );
  assert.ok(span, `"${line.msg}" names no recorded span (${line.trace_id}/${line.span_id})`);
  return span;
}

test('lines inside a request, a socket event and a consumed event carry trace_id and span_id', async () => {
  // Loaded after the SDK started: its instrumentations patch http, express and socket.io on load.
  const { createServer } = await import('node:http');
  const { createHttpApp } = await import('./http/app.js');
  const { Server } = await import('socket.io');

  const app = createHttpApp({
    logger,
    registry: createRegistry('logger-trace-test'),
    readiness: {},
    routes: (routes) => {
      routes.get('/things', (_req, res) => {
        logger.info('inside a request');
        res.json({ ok: true });
      });
    },
  });
  const server = createServer(app);
  const io = new Server(server, { path: '/ws', transports: ['websocket'] });
  io.on('connection', (socket) => {
    socket.on('hello', (_payload: unknown, ack: (reply: string) => void) => {
      logger.info('inside a socket event');
      ack('hi');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const producer = await connectProducer(kafka);
  const producerName = uniqueName('logger-trace');
  const consumer = await consumeOwnEvents(producerName, () => {
    logger.info('inside a consumed event');
    return Promise.resolve();
  });
  const client = connect(base, { path: '/ws', transports: ['websocket'], forceNew: true });
  try {
    logger.info('outside everything');
    assert.equal((await fetch(`${base}/things`)).status, 200);
    assert.equal(await client.timeout(5_000).emitWithAck('hello', { chatId: 'c' }), 'hi');
    await ensureTopics(kafka, [topics.user]);
    await publishEvents(producer, [
      {
        topic: topics.user.name,
        key: 'k',
        envelope: {
          id: randomUUID(),
          type: 'user.created',
          version: 1,
          occurredAt: new Date().toISOString(),
          producer: producerName,
          traceparent: null,
          data: {},
        },
      },
    ]);
    await eventually(
      () => lines.find((line) => line.msg === 'inside a consumed event'),
      30_000,
      'the consumer to log',
    );

    assert.equal(lineSaying('outside everything').trace_id, undefined);
    const request = spanOf(lineSaying('inside a request'));
    assert.equal(request.kind, SpanKind.SERVER);
    assert.match(request.name, /^GET/);
    // pino-http's line, written when the response finished, names the request's trace.
    assert.equal(lineSaying('request completed').trace_id, request.spanContext().traceId);
    const socketEvent = spanOf(lineSaying('inside a socket event'));
    assert.equal(socketEvent.attributes['messaging.socket.io.event_name'], 'hello');
    const consumed = spanOf(lineSaying('inside a consumed event'));
    assert.equal(consumed.name, `${topics.user.name} process`);
  } finally {
    client.close();
    await consumer.disconnect();
    await producer.disconnect();
    await io.close();
  }
});
