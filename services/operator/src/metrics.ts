import { Counter, Gauge, Histogram, type Registry } from '@messenger/platform';

export interface OperatorMetrics {
  reconciles: Counter<'result'>;
  duration: Histogram;
  leader: Gauge;
  phase: Gauge<'platform'>;
  desiredReplicas: Gauge<'platform'>;
  sockets: Gauge<'platform'>;
}

export function createOperatorMetrics(registry: Registry): OperatorMetrics {
  return {
    reconciles: new Counter({
      name: 'operator_reconcile_total',
      help: 'Reconciles of a MessengerPlatform, by result (success, error)',
      labelNames: ['result'] as const,
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'operator_reconcile_duration_seconds',
      help: 'Duration of one reconcile of a MessengerPlatform',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    leader: new Gauge({
      name: 'operator_leader',
      help: '1 while this replica holds the leader Lease',
      registers: [registry],
    }),
    phase: new Gauge({
      name: 'operator_platform_phase',
      help: 'Phase of each MessengerPlatform: 0 Pending, 1 Progressing, 2 Ready, 3 Degraded',
      labelNames: ['platform'] as const,
      registers: [registry],
    }),
    desiredReplicas: new Gauge({
      name: 'operator_messaging_desired_replicas',
      help: 'Messaging replicas the socket-aware scaling wants',
      labelNames: ['platform'] as const,
      registers: [registry],
    }),
    sockets: new Gauge({
      name: 'operator_messaging_sockets',
      help: 'Live sockets on the messaging pods, as last read',
      labelNames: ['platform'] as const,
      registers: [registry],
    }),
  };
}
