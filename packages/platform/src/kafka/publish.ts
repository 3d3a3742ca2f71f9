import { SpanKind, trace } from '@opentelemetry/api';
import type { Producer } from 'kafkajs';
import type { Envelope } from '@messenger/contracts';
import { contextFromTraceparent, injectHeaders } from './trace.js';

export interface OutgoingEvent {
  topic: string;
  key: string;
  envelope: Envelope;
}

const tracer = trace.getTracer('@messenger/platform/kafka');

/**
 * Publishes events in one batch. Each message gets a producer span that continues the trace
 * captured in its envelope (the request that changed the state), and carries it in headers.
 */
export async function publishEvents(
  producer: Producer,
  events: readonly OutgoingEvent[],
): Promise<void> {
  const spans = events.map((event) =>
    tracer.startSpan(
      `${event.topic} publish`,
      {
        kind: SpanKind.PRODUCER,
        attributes: {
          'messaging.system': 'kafka',
          'messaging.destination.name': event.topic,
          'messaging.operation.type': 'send',
          'messaging.message.id': event.envelope.id,
          'messaging.kafka.message.key': event.key,
        },
      },
      contextFromTraceparent(event.envelope.traceparent),
    ),
  );
  const byTopic = new Map<
    string,
    { key: string; value: string; headers: Record<string, string> }[]
  >();
  events.forEach((event, index) => {
    const span = spans[index];
    const headers = {
      ...(span ? injectHeaders(trace.setSpan(contextFromTraceparent(null), span)) : {}),
      'event-type': event.envelope.type,
      'event-id': event.envelope.id,
    };
    const messages = byTopic.get(event.topic) ?? [];
    messages.push({ key: event.key, value: JSON.stringify(event.envelope), headers });
    byTopic.set(event.topic, messages);
  });
  try {
    await producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
    });
  } catch (error) {
    for (const span of spans) span.recordException(error as Error);
    throw error;
  } finally {
    for (const span of spans) span.end();
  }
}
