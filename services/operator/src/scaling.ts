/** The annotation the ReplicaSet controller reads to pick which pods to remove first (lowest first). */
export const DELETION_COST_ANNOTATION = 'controller.kubernetes.io/pod-deletion-cost';

export interface PodSockets {
  name: string;
  /** Live Socket.IO connections on the pod; undefined when its metrics could not be read. */
  sockets: number | undefined;
}

export interface Recommendation {
  at: number;
  replicas: number;
}

export interface ScalingInput {
  now: number;
  currentReplicas: number;
  pods: readonly PodSockets[];
  targetSocketsPerPod: number;
  minReplicas: number;
  maxReplicas: number;
  stabilizationMs: number;
  /** Earlier recommendations (kept by the caller between reconciles). */
  history: readonly Recommendation[];
}

export interface ScalingDecision {
  desiredReplicas: number;
  /** ceil(sockets / target) within min/max, before the stabilisation window. */
  recommended: number;
  totalSockets: number;
  history: Recommendation[];
  /** Set on every pod before a scale-in: its socket count, so the emptiest pods go first. */
  deletionCosts: Map<string, number> | undefined;
  reason: 'ScaleUp' | 'ScaleDown' | 'Stable' | 'Stabilizing' | 'MetricsIncomplete' | 'NoMetrics';
  message: string;
}

/** The largest value the API server accepts for the deletion cost (an int32). */
const MAX_COST = 2_147_483_647;

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}

/**
 * Desired messaging replicas from the live socket counts. Scale-up is immediate; scale-down
 * follows the highest recommendation of the stabilisation window (as the HPA does), so a dip
 * does not drop sockets only to reconnect them moments later. With some pods' metrics missing
 * the operator only scales up; with none it holds.
 */
export function decideScale(input: ScalingInput): ScalingDecision {
  const min = Math.max(0, input.minReplicas);
  const max = Math.max(min, input.maxReplicas);
  const known = input.pods.filter((pod) => pod.sockets !== undefined);
  const totalSockets = known.reduce((sum, pod) => sum + (pod.sockets ?? 0), 0);
  const history = input.history.filter((entry) => entry.at > input.now - input.stabilizationMs);
  const current = input.currentReplicas;

  if (input.pods.length > 0 && known.length === 0) {
    const desired = clamp(current, min, max);
    return {
      desiredReplicas: desired,
      recommended: desired,
      totalSockets,
      history,
      deletionCosts: undefined,
      reason: 'NoMetrics',
      message: `no socket counts from any of ${input.pods.length} messaging pods; holding ${desired} replicas`,
    };
  }
  const recommended = clamp(
    Math.ceil(totalSockets / Math.max(1, input.targetSocketsPerPod)),
    min,
    max,
  );
  history.push({ at: input.now, replicas: recommended });
  let desired: number;
  let reason: ScalingDecision['reason'];
  if (known.length < input.pods.length) {
    desired = Math.max(recommended, clamp(current, min, max));
    reason = desired > current ? 'ScaleUp' : 'MetricsIncomplete';
  } else if (recommended >= current) {
    desired = recommended;
    reason = recommended > current ? 'ScaleUp' : 'Stable';
  } else {
    const windowMax = Math.max(...history.map((entry) => entry.replicas));
    desired = clamp(Math.min(current, windowMax), min, max);
    reason = desired < current ? 'ScaleDown' : 'Stabilizing';
  }
  let deletionCosts: Map<string, number> | undefined;
  if (desired < current) {
    deletionCosts = new Map(
      input.pods.map((pod) => [pod.name, Math.min(MAX_COST, pod.sockets ?? MAX_COST)]),
    );
  }
  const perPod = `${totalSockets} sockets on ${input.pods.length} pods, target ${input.targetSocketsPerPod} per pod`;
  const message =
    reason === 'Stabilizing'
      ? `${perPod}: ${recommended} replicas would do, holding ${desired} for the ${Math.round(input.stabilizationMs / 1000)}s scale-down window`
      : reason === 'MetricsIncomplete'
        ? `${perPod} (${input.pods.length - known.length} pods without metrics): not scaling down`
        : `${perPod}: ${desired} replicas`;
  return {
    desiredReplicas: desired,
    recommended,
    totalSockets,
    history,
    deletionCosts,
    reason,
    message,
  };
}
