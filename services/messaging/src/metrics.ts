import { Counter, Gauge, Histogram, type Registry } from '@messenger/platform';

export type Transport = 'rest' | 'socket';

export interface MessagingMetrics {
  socketConnections: Gauge;
  socketConnects: Counter;
  socketDisconnects: Counter<'reason'>;
  socketCutOffs: Counter<'reason'>;
  syncRequests: Counter;
  messagesSent: Counter<'transport'>;
  messagesDelivered: Counter;
  deliveryLatency: Histogram;
}

/** The service's own metrics; every label has a handful of values at most. */
export function createMessagingMetrics(registry: Registry): MessagingMetrics {
  return {
    socketConnections: new Gauge({
      name: 'messaging_socket_connections',
      help: 'Socket.IO connections open on this instance',
      registers: [registry],
    }),
    socketConnects: new Counter({
      name: 'messaging_socket_connects_total',
      help: 'Socket.IO connections accepted on this instance',
      registers: [registry],
    }),
    socketDisconnects: new Counter({
      name: 'messaging_socket_disconnects_total',
      help: "Socket.IO disconnections, by Socket.IO's reason (a handful of fixed values)",
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    socketCutOffs: new Counter({
      name: 'messaging_socket_cutoffs_total',
      help: 'Sockets this instance closed to protect the others, by reason (rate_limited, slow_consumer)',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    syncRequests: new Counter({
      name: 'messaging_sync_requests_total',
      help: 'sync events clients sent (after a reconnect, to catch up)',
      registers: [registry],
    }),
    messagesSent: new Counter({
      name: 'messaging_messages_sent_total',
      help: 'Messages stored (retries of a stored message excluded)',
      labelNames: ['transport'] as const,
      registers: [registry],
    }),
    messagesDelivered: new Counter({
      name: 'messaging_messages_delivered_total',
      help: 'message:new emits to the rooms of a message recipients',
      registers: [registry],
    }),
    deliveryLatency: new Histogram({
      name: 'messaging_delivery_latency_seconds',
      help: 'From a message being stored to its live emit',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
  };
}
