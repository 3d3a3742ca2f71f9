import { randomUUID } from 'node:crypto';
import type { Envelope, EventType } from '@messenger/contracts';
import { currentTraceparent } from './trace.js';

export interface NewEvent<T> {
  type: EventType;
  /** The aggregate id: the Kafka key, so order holds per aggregate. */
  key: string;
  data: T;
  version?: number;
}

/** Wraps event data in the docs/api.md envelope, capturing the active trace so it can continue. */
export function createEnvelope<T extends Record<string, unknown>>(
  producer: string,
  event: NewEvent<T>,
): Envelope<T> {
  return {
    id: randomUUID(),
    type: event.type,
    version: event.version ?? 1,
    occurredAt: new Date().toISOString(),
    producer,
    traceparent: currentTraceparent(),
    data: event.data,
  };
}
