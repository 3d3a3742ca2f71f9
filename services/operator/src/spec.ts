/** The MessengerPlatform resource as the operator reads it (the CRD in k8s/crds/ validates it). */
export const GROUP = 'platform.messenger.dev';
export const VERSION = 'v1alpha1';
export const PLURAL = 'messengerplatforms';
export const KIND = 'MessengerPlatform';
export const API_VERSION = `${GROUP}/${VERSION}`;

export interface TopicEntry {
  name: string;
  partitions: number;
  replicationFactor?: number;
  retentionMs?: number;
  config?: Record<string, string>;
  /** Only an explicit `delete: true` makes the operator delete a topic. */
  delete?: boolean;
}

export interface Autoscaling {
  minReplicas: number;
  maxReplicas: number;
  /** messaging only: the operator scales on live sockets per pod. */
  targetSocketsPerPod?: number;
  scaleDownStabilizationSeconds?: number;
}

export interface ServiceSpec {
  replicas?: number;
  autoscaling?: Autoscaling;
}

export interface PlatformSpec {
  version: string;
  imageRegistry?: string;
  services?: Partial<Record<string, ServiceSpec>>;
  /** `keyRotationPeriod`: how long a signing key signs, a duration such as `720h`. */
  auth?: { keyRotationPeriod?: string };
  kafka?: { topics?: TopicEntry[] };
  external?: { kafka?: { brokers: string[] } };
}

export type ConditionStatus = 'True' | 'False' | 'Unknown';

export interface Condition {
  type: string;
  status: ConditionStatus;
  observedGeneration?: number;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

export type Phase = 'Pending' | 'Progressing' | 'Ready' | 'Degraded';

export interface SigningKeysStatus {
  activeKeyId?: string;
  activeSince?: string;
  nextKeyId?: string;
  nextKeySignsFrom?: string;
  publishedKeys?: number;
}

export interface PlatformStatus {
  observedGeneration?: number;
  phase?: Phase;
  services?: Record<string, { replicas?: number; readyReplicas?: number; version?: string }>;
  topics?: string[];
  signingKeys?: SigningKeysStatus;
  conditions?: Condition[];
}

export interface MessengerPlatform {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    generation?: number;
    resourceVersion?: string;
    labels?: Record<string, string>;
  };
  spec?: PlatformSpec;
  status?: PlatformStatus;
}

/** Workloads of a platform carry `app.kubernetes.io/instance: <this>` (the Helm release). */
export function instanceOf(platform: MessengerPlatform): string {
  return platform.metadata?.labels?.['app.kubernetes.io/instance'] ?? platform.metadata?.name ?? '';
}
