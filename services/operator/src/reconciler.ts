import type { V1Deployment, V1Pod, V1StatefulSet } from '@kubernetes/client-node';
import { allTopics } from '@messenger/contracts';
import type { Logger } from '@messenger/platform';
import { KafkaAccessError, summarize, type Failure, type WorkloadState } from './conditions.js';
import type { TopicAdmin } from './kafka-topics.js';
import { apiMessage, applyPatch, FIELD_MANAGER, statusCode, type Kube } from './kube.js';
import type { OperatorMetrics } from './metrics.js';
import { DELETION_COST_ANNOTATION, decideScale, type Recommendation } from './scaling.js';
import { parseDuration, signingKeysStatus, type KeyRotator } from './signing-keys.js';
import type { SocketCounts } from './socket-counts.js';
import {
  API_VERSION,
  GROUP,
  instanceOf,
  KIND,
  PLURAL,
  VERSION,
  type Condition,
  type MessengerPlatform,
  type PlatformStatus,
  type SigningKeysStatus,
} from './spec.js';
import { desiredTopics, planTopics } from './topics-plan.js';

export interface ReconcilerOptions {
  kube: Kube;
  logger: Logger;
  metrics: OperatorMetrics;
  sockets: SocketCounts;
  /** A topic admin for a broker list (cached by the caller). */
  topicAdmin: (brokers: string[]) => TopicAdmin;
  defaultBrokers: string[] | undefined;
  defaultReplicationFactor: number;
  defaultStabilizationSeconds: number;
  /** Session's signing keys (SESSION_URL); undefined when the operator has no session to call. */
  keyRotator: KeyRotator | undefined;
  identity: string;
  now?: () => Date;
}

/** The longest period session's rotateSigningKeys takes (366 days). */
const MAX_KEY_ROTATION_MS = 366 * 24 * 3_600_000;
const INSTANCE_LABEL = 'app.kubernetes.io/instance';
const COMPONENT_LABEL = 'app.kubernetes.io/component';

function selectorOf(labels: Record<string, string> | undefined): string {
  return Object.entries(labels ?? {})
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
}

function failureOf(conditions: { type: string; status: string; message?: string }[] | undefined) {
  const failed = conditions?.find((c) => c.type === 'ReplicaFailure' && c.status === 'True');
  return failed ? (failed.message ?? 'ReplicaFailure') : undefined;
}

/** One reconcile of one MessengerPlatform: observe, decide (pure functions), act, report. */
export class Reconciler {
  private readonly history = new Map<string, Recommendation[]>();
  private readonly now: () => Date;

  constructor(private readonly options: ReconcilerOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /** Forgets what was kept for a deleted platform. */
  forget(uid: string): void {
    this.history.delete(uid);
  }

  async reconcile(platform: MessengerPlatform): Promise<void> {
    const { logger } = this.options;
    const namespace = platform.metadata?.namespace ?? '';
    const name = platform.metadata?.name ?? '';
    const spec = platform.spec;
    if (!spec) return;
    const log = logger.child({ platform: `${namespace}/${name}` });

    // 1. Kafka topics
    let kafkaError: Failure | undefined;
    const topicFailures: Failure[] = [];
    let converged: string[] = [];
    const brokers = spec.external?.kafka?.brokers ?? this.options.defaultBrokers;
    if (!brokers || brokers.length === 0) {
      kafkaError = {
        reason: 'KafkaUnreachable',
        message: 'no brokers: set spec.external.kafka.brokers or the operator’s KAFKA_BROKERS',
      };
    } else {
      const admin = this.options.topicAdmin(brokers);
      const desired = desiredTopics(
        allTopics,
        spec.kafka?.topics ?? [],
        this.options.defaultReplicationFactor,
      );
      try {
        const observed = await admin.observe(desired.map((topic) => topic.name));
        const plan = planTopics(desired, observed);
        const failures = await admin.apply(plan.actions);
        topicFailures.push(...plan.problems, ...failures);
        const failedNames = new Set(topicFailures.map((failure) => failure.name));
        converged = plan.converged.filter((topic) => !failedNames.has(topic));
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        kafkaError =
          error instanceof KafkaAccessError && error.reason === 'KafkaAuthenticationFailed'
            ? {
                reason: error.reason,
                message: `${brokers.join(',')} refused the operator: ${message}`,
              }
            : {
                reason: 'KafkaUnreachable',
                message: `${brokers.join(',')} unreachable: ${message}`,
              };
      }
    }

    // 2. Workloads of this platform (installed by Helm; the operator only reads them)
    const selector = `${INSTANCE_LABEL}=${instanceOf(platform)}`;
    const otherFailures: Failure[] = [];
    const [deployments, statefulSets] = await Promise.all([
      this.options.kube.apps.listNamespacedDeployment({ namespace, labelSelector: selector }),
      this.options.kube.apps.listNamespacedStatefulSet({ namespace, labelSelector: selector }),
    ]);
    const workloads: WorkloadState[] = [
      ...deployments.items.map((d) => this.workload('Deployment', d)),
      ...statefulSets.items.map((s) => this.workload('StatefulSet', s)),
    ];

    // 3. WebSocket-aware scaling of messaging
    let scaled: string | undefined;
    const autoscaling = spec.services?.messaging?.autoscaling;
    if (autoscaling?.targetSocketsPerPod !== undefined) {
      const messaging = deployments.items.find(
        (d) => d.metadata?.labels?.[COMPONENT_LABEL] === 'messaging',
      );
      if (!messaging) {
        otherFailures.push({
          reason: 'MessagingNotFound',
          message: `no Deployment labelled ${selector},${COMPONENT_LABEL}=messaging to scale`,
        });
      } else {
        try {
          scaled = await this.scale(platform, messaging, log);
        } catch (error) {
          otherFailures.push({
            reason: 'ScalingFailed',
            message: `scaling Deployment ${messaging.metadata?.name ?? ''}: ${apiMessage(error)}`,
          });
        }
      }
    }

    // 4. Signing keys, rotated by session on the period the spec names
    let signingKeys: SigningKeysStatus | undefined;
    const period = spec.auth?.keyRotationPeriod;
    if (period !== undefined) {
      const keys = await this.rotateKeys(platform, period);
      if ('failure' in keys) otherFailures.push(keys.failure);
      else signingKeys = keys.status;
    }

    // 5. Status and Events
    const summary = summarize(
      {
        generation: platform.metadata?.generation ?? 0,
        ...(kafkaError !== undefined ? { kafkaError } : {}),
        topicFailures,
        workloads,
        ...(scaled !== undefined ? { scaled } : {}),
        otherFailures,
      },
      platform.status?.conditions,
      this.now(),
    );
    const services: NonNullable<PlatformStatus['services']> = {};
    for (const d of [...deployments.items, ...statefulSets.items]) {
      const component = d.metadata?.labels?.[COMPONENT_LABEL];
      if (!component) continue;
      services[component] = {
        replicas: d.spec?.replicas ?? 1,
        readyReplicas: d.status?.readyReplicas ?? 0,
        ...(d.metadata?.labels?.['app.kubernetes.io/version']
          ? { version: d.metadata.labels['app.kubernetes.io/version'] }
          : {}),
      };
    }
    const status: PlatformStatus = {
      observedGeneration: platform.metadata?.generation ?? 0,
      phase: summary.phase,
      services,
      topics: converged.sort(),
      ...(signingKeys ? { signingKeys } : {}),
      conditions: summary.conditions,
    };
    await this.writeStatus(platform, status);
    for (const transition of summary.transitions) await this.event(platform, transition);
    this.options.metrics.phase.set(
      { platform: `${namespace}/${name}` },
      phaseNumber(summary.phase),
    );
    log.debug({ phase: summary.phase }, 'reconciled');
  }

  private workload(
    kind: WorkloadState['kind'],
    object: V1Deployment | V1StatefulSet,
  ): WorkloadState {
    const failure = failureOf(object.status?.conditions);
    const ready =
      kind === 'Deployment'
        ? (object.status?.availableReplicas ?? 0)
        : (object.status?.readyReplicas ?? 0);
    return {
      kind,
      name: object.metadata?.name ?? '',
      component: object.metadata?.labels?.[COMPONENT_LABEL] ?? '',
      desired: object.spec?.replicas ?? 1,
      ready,
      ...(failure !== undefined ? { failure } : {}),
    };
  }

  private async rotateKeys(
    platform: MessengerPlatform,
    period: string,
  ): Promise<{ status: SigningKeysStatus } | { failure: Failure }> {
    const rotationMs = parseDuration(period);
    if (rotationMs === undefined || rotationMs < 10_000 || rotationMs > MAX_KEY_ROTATION_MS) {
      return {
        failure: {
          reason: 'InvalidKeyRotationPeriod',
          message: `spec.auth.keyRotationPeriod ${period}: a duration from 10s to 8784h (e.g. 720h)`,
        },
      };
    }
    const rotator = this.options.keyRotator;
    if (!rotator) {
      return {
        failure: {
          reason: 'SigningKeysUnavailable',
          message: 'spec.auth.keyRotationPeriod is set but the operator has no SESSION_URL',
        },
      };
    }
    try {
      const rotation = await rotator.rotate(Math.round(rotationMs / 1000));
      const status = signingKeysStatus(rotation);
      if (rotation.rotated) {
        await this.event(platform, {
          type: 'SigningKeys',
          status: 'True',
          reason: 'SigningKeyScheduled',
          message: `key ${status.nextKeyId ?? ''} published, signs from ${status.nextKeySignsFrom ?? ''} (after key ${status.activeKeyId ?? ''})`,
          lastTransitionTime: '',
        });
      }
      return { status };
    } catch (error) {
      return {
        failure: {
          reason: 'SigningKeysUnavailable',
          message: `signing keys at ${rotator.target}: ${error instanceof Error ? error.message : String(error)}`,
        },
      };
    }
  }

  /** Returns a message when it changed the replicas. */
  private async scale(
    platform: MessengerPlatform,
    deployment: V1Deployment,
    log: Logger,
  ): Promise<string | undefined> {
    const autoscaling = platform.spec?.services?.messaging?.autoscaling;
    if (!autoscaling?.targetSocketsPerPod) return undefined;
    const namespace = deployment.metadata?.namespace ?? '';
    const name = deployment.metadata?.name ?? '';
    const pods = (
      await this.options.kube.core.listNamespacedPod({
        namespace,
        labelSelector: selectorOf(deployment.spec?.selector.matchLabels),
      })
    ).items.filter(
      (pod: V1Pod) =>
        !pod.metadata?.deletionTimestamp &&
        pod.status?.phase !== 'Succeeded' &&
        pod.status?.phase !== 'Failed',
    );
    const counts = await this.options.sockets.read(
      pods.map((pod) => ({
        name: pod.metadata?.name ?? '',
        namespace,
        ip: pod.status?.podIP,
      })),
    );
    const current = deployment.spec?.replicas ?? 1;
    const now = this.now().getTime();
    const key = platform.metadata?.uid ?? `${namespace}/${name}`;
    // After a (re)start the current size counts as recommended now: no early scale-down.
    const history = this.history.get(key) ?? [{ at: now, replicas: current }];
    const decision = decideScale({
      now,
      currentReplicas: current,
      pods: pods.map((pod) => ({
        name: pod.metadata?.name ?? '',
        sockets: counts.get(pod.metadata?.name ?? ''),
      })),
      targetSocketsPerPod: autoscaling.targetSocketsPerPod,
      minReplicas: autoscaling.minReplicas,
      maxReplicas: autoscaling.maxReplicas,
      stabilizationMs:
        (autoscaling.scaleDownStabilizationSeconds ?? this.options.defaultStabilizationSeconds) *
        1000,
      history,
    });
    this.history.set(key, decision.history);
    this.options.metrics.desiredReplicas.set(
      { platform: `${platform.metadata?.namespace ?? ''}/${platform.metadata?.name ?? ''}` },
      decision.desiredReplicas,
    );
    this.options.metrics.sockets.set(
      { platform: `${platform.metadata?.namespace ?? ''}/${platform.metadata?.name ?? ''}` },
      decision.totalSockets,
    );
    if (decision.desiredReplicas === current) return undefined;
    if (decision.deletionCosts) {
      for (const [pod, cost] of decision.deletionCosts) {
        await this.setDeletionCost(namespace, pod, cost);
      }
    }
    await this.options.kube.apps.patchNamespacedDeployment(
      {
        name,
        namespace,
        fieldManager: FIELD_MANAGER,
        force: true,
        body: {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name, namespace },
          spec: { replicas: decision.desiredReplicas },
        },
      },
      applyPatch,
    );
    const message = `scaled Deployment ${name} from ${current} to ${decision.desiredReplicas}: ${decision.message}`;
    log.info(
      { from: current, to: decision.desiredReplicas, sockets: decision.totalSockets },
      message,
    );
    await this.event(platform, {
      type: 'Scaling',
      status: 'True',
      reason: decision.desiredReplicas > current ? 'ScaledUp' : 'ScaledDown',
      message,
      lastTransitionTime: '',
    });
    return message;
  }

  private async setDeletionCost(namespace: string, pod: string, cost: number): Promise<void> {
    try {
      await this.options.kube.core.patchNamespacedPod(
        {
          name: pod,
          namespace,
          fieldManager: FIELD_MANAGER,
          force: true,
          body: {
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: {
              name: pod,
              namespace,
              annotations: { [DELETION_COST_ANNOTATION]: String(cost) },
            },
          },
        },
        applyPatch,
      );
    } catch (error) {
      if (statusCode(error) !== 404) throw error; // a pod gone meanwhile needs no cost
    }
  }

  private async writeStatus(platform: MessengerPlatform, status: PlatformStatus): Promise<void> {
    const before = platform.status ?? {};
    const same =
      JSON.stringify(comparable(before)) === JSON.stringify(comparable(status)) &&
      before.conditions?.length === status.conditions?.length;
    if (same) return;
    const namespace = platform.metadata?.namespace ?? '';
    const name = platform.metadata?.name ?? '';
    await this.options.kube.custom.patchNamespacedCustomObjectStatus(
      {
        group: GROUP,
        version: VERSION,
        namespace,
        plural: PLURAL,
        name,
        fieldManager: FIELD_MANAGER,
        force: true,
        body: { apiVersion: API_VERSION, kind: KIND, metadata: { name, namespace }, status },
      },
      applyPatch,
    );
  }

  private async event(platform: MessengerPlatform, condition: Condition): Promise<void> {
    const namespace = platform.metadata?.namespace ?? '';
    const warning =
      (condition.type === 'Degraded' && condition.status === 'True') ||
      (condition.type === 'Ready' && condition.status === 'False');
    const now = this.now();
    try {
      await this.options.kube.core.createNamespacedEvent({
        namespace,
        body: {
          metadata: { generateName: `${platform.metadata?.name ?? 'platform'}.`, namespace },
          involvedObject: {
            apiVersion: API_VERSION,
            kind: KIND,
            name: platform.metadata?.name ?? '',
            namespace,
            ...(platform.metadata?.uid ? { uid: platform.metadata.uid } : {}),
          },
          type: warning ? 'Warning' : 'Normal',
          reason: condition.reason || condition.type,
          message: `${condition.type}=${condition.status}: ${condition.message}`.slice(0, 1024),
          source: { component: FIELD_MANAGER },
          reportingComponent: FIELD_MANAGER,
          reportingInstance: this.options.identity,
          firstTimestamp: now,
          lastTimestamp: now,
          count: 1,
        },
      });
    } catch (error) {
      this.options.logger.warn({ err: error }, 'could not record an event');
    }
  }
}

/** The status without transition times, to skip writes that would change nothing. */
function comparable(status: PlatformStatus): unknown {
  return {
    ...status,
    conditions: (status.conditions ?? []).map(({ lastTransitionTime: _t, ...rest }) => rest),
  };
}

export function phaseNumber(phase: string): number {
  return ['Pending', 'Progressing', 'Ready', 'Degraded'].indexOf(phase);
}
