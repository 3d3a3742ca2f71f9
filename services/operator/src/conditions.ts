import type { Condition, ConditionStatus, Phase } from './spec.js';

export interface WorkloadState {
  kind: 'Deployment' | 'StatefulSet';
  name: string;
  component: string;
  desired: number;
  ready: number;
  /** The controller could not create pods (ReplicaFailure / FailedCreate), with its message. */
  failure?: string;
}

export interface Failure {
  /** The topic (or other part) the failure is about, when there is one. */
  name?: string;
  reason: string;
  message: string;
}

/** Why Kafka could not be read; the reason becomes the Degraded condition's. */
export class KafkaAccessError extends Error {
  constructor(
    readonly reason: 'KafkaUnreachable' | 'KafkaAuthenticationFailed',
    message: string,
  ) {
    super(message);
  }
}

export interface Observation {
  generation: number;
  /** Undefined when Kafka answered; otherwise why it did not (reason KafkaUnreachable, or
   * KafkaAuthenticationFailed when it refused the operator's credentials). */
  kafkaError?: Failure;
  topicFailures: readonly Failure[];
  workloads: readonly WorkloadState[];
  /** Set when this reconcile changed the messaging replicas. */
  scaled?: string;
  otherFailures: readonly Failure[];
}

export interface StatusSummary {
  phase: Phase;
  conditions: Condition[];
  /** Conditions whose status or reason changed, for Kubernetes Events. */
  transitions: Condition[];
}

function condition(
  type: string,
  status: ConditionStatus,
  reason: string,
  message: string,
  generation: number,
): Omit<Condition, 'lastTransitionTime'> {
  return {
    type,
    status,
    reason,
    message: message.slice(0, 32_000),
    observedGeneration: generation,
  };
}

/** Observations in, standard conditions out; lastTransitionTime moves only when a status changes. */
export function summarize(
  observation: Observation,
  previous: readonly Condition[] | undefined,
  now: Date,
): StatusSummary {
  const gen = observation.generation;
  const degraded: Failure[] = [];
  if (observation.kafkaError !== undefined) {
    const { reason, message } = observation.kafkaError;
    degraded.push({ reason, message: `Kafka: ${message}` });
  }
  degraded.push(...observation.topicFailures);
  for (const workload of observation.workloads) {
    if (workload.failure !== undefined) {
      degraded.push({
        reason: 'WorkloadReplicaFailure',
        message: `${workload.kind} ${workload.name}: ${workload.failure}`,
      });
    }
  }
  degraded.push(...observation.otherFailures);

  const waiting = observation.workloads
    .filter((workload) => workload.ready < workload.desired)
    .map((workload) => {
      const short = workload.kind === 'StatefulSet' ? 'short of replicas' : 'not available';
      return `${workload.kind} ${workload.name} ${short} (${workload.ready}/${workload.desired} ready)`;
    });
  const progressing =
    observation.scaled !== undefined
      ? { reason: 'Scaling', message: [observation.scaled, ...waiting].join('; ') }
      : waiting.length > 0
        ? { reason: 'WorkloadsNotReady', message: waiting.join('; ') }
        : undefined;

  const next = [
    degraded.length > 0
      ? condition(
          'Degraded',
          'True',
          degraded[0]?.reason ?? 'Degraded',
          degraded.map((f) => f.message).join('; '),
          gen,
        )
      : condition(
          'Degraded',
          'False',
          'AsExpected',
          'Kafka, topics and workloads as specified',
          gen,
        ),
    progressing
      ? condition('Progressing', 'True', progressing.reason, progressing.message, gen)
      : condition('Progressing', 'False', 'Converged', 'nothing left to change', gen),
  ];
  const ready =
    degraded.length === 0 && !progressing
      ? condition(
          'Ready',
          'True',
          'Ready',
          `${observation.workloads.length} workloads ready, topics as specified`,
          gen,
        )
      : condition(
          'Ready',
          'False',
          degraded.length > 0 ? (degraded[0]?.reason ?? 'Degraded') : (progressing?.reason ?? ''),
          degraded.length > 0 ? (next[0]?.message ?? '') : (progressing?.message ?? 'not ready'),
          gen,
        );
  next.unshift(ready);

  const stamp = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const conditions: Condition[] = [];
  const transitions: Condition[] = [];
  for (const item of next) {
    const before = previous?.find((c) => c.type === item.type);
    const changed = before?.status !== item.status;
    const full: Condition = {
      ...item,
      lastTransitionTime: before === undefined || changed ? stamp : before.lastTransitionTime,
    };
    conditions.push(full);
    if (before === undefined || changed || before.reason !== item.reason) transitions.push(full);
  }
  const phase: Phase = degraded.length > 0 ? 'Degraded' : progressing ? 'Progressing' : 'Ready';
  return { phase, conditions, transitions };
}
