import { randomUUID } from 'node:crypto';
import type { Envelope, EventData, EventType } from '@messenger/contracts';
import { currentTraceparent } from './trace.js';

/** An event to publish; its data is typed by its type (`eventDataSchemas` in the contracts). */
export interface NewEvent<T extends EventType> {
  type: T;
  /** The aggregate id: the Kafka key, so order holds per aggregate. */
  key: string;
  data: EventData<T>;
  version?: number;
  /**
   * A stored record's own id, time and trace (`traceparent` null: none), so the record published
   * again is the same event; by default a new id, now and the active trace.
   */
  id?: string;
  occurredAt?: string;
  traceparent?: string | null;
}

/** Wraps event data in the docs/api.md envelope, capturing the active trace so it can continue. */
export function createEnvelope<T extends EventType>(
  producer: string,
  event: NewEvent<T>,
): Envelope<EventData<T>> {
  return {
    id: event.id ?? randomUUID(),
    type: event.type,
    version: event.version ?? 1,
    occurredAt: event.occurredAt ?? new Date().toISOString(),
    producer,
    traceparent: event.traceparent === undefined ? currentTraceparent() : event.traceparent,
    data: event.data,
  };
}
