import type { TopicSpec } from '@messenger/contracts';
import type { TopicEntry } from './spec.js';

/** A topic as it should be. `configs` are the topic-level settings the operator owns. */
export interface DesiredTopic {
  name: string;
  partitions: number;
  replicationFactor: number;
  configs: Record<string, string>;
  delete: boolean;
}

/** A topic as Kafka describes it. `dynamicConfigs` are the settings set on the topic itself. */
export interface ObservedTopic {
  name: string;
  partitions: number;
  replicationFactor: number;
  dynamicConfigs: Record<string, string>;
}

export type TopicAction =
  | { kind: 'create'; topic: DesiredTopic }
  | { kind: 'addPartitions'; name: string; from: number; to: number }
  /** `configs` is the full set of the topic's dynamic settings afterwards (AlterConfigs replaces them all). */
  | { kind: 'alterConfigs'; name: string; configs: Record<string, string>; changed: string[] }
  | { kind: 'delete'; name: string };

/** What the operator will not do by itself, reported in the status. */
export interface TopicProblem {
  name: string;
  reason: 'PartitionsCannotShrink' | 'ReplicationFactorChange';
  message: string;
}

export interface TopicPlan {
  actions: TopicAction[];
  problems: TopicProblem[];
  /** Topics that exist as specified once the actions succeed (problems excluded). */
  converged: string[];
}

/**
 * The topics of the contracts registry, overridden and extended by `spec.kafka.topics` (by name).
 * A spec entry sets partitions, replication, `retentionMs` (retention.ms) and other configs.
 */
export function desiredTopics(
  registry: readonly TopicSpec[],
  entries: readonly TopicEntry[],
  defaultReplicationFactor: number,
): DesiredTopic[] {
  const byName = new Map<string, DesiredTopic>();
  for (const spec of registry) {
    byName.set(spec.name, {
      name: spec.name,
      partitions: spec.partitions,
      replicationFactor: defaultReplicationFactor,
      configs: { 'retention.ms': String(spec.retentionMs) },
      delete: false,
    });
  }
  for (const entry of entries) {
    const base = byName.get(entry.name);
    const configs = { ...base?.configs, ...entry.config };
    if (entry.retentionMs !== undefined) configs['retention.ms'] = String(entry.retentionMs);
    byName.set(entry.name, {
      name: entry.name,
      partitions: entry.partitions,
      replicationFactor:
        entry.replicationFactor ?? base?.replicationFactor ?? defaultReplicationFactor,
      configs,
      delete: entry.delete === true,
    });
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Observed topics in, actions out. Partitions only grow; drifted configs are set back (other
 * settings on the topic are kept); a topic is deleted only when its entry says `delete: true`;
 * topics the operator does not know are never touched.
 */
export function planTopics(
  desired: readonly DesiredTopic[],
  observed: ReadonlyMap<string, ObservedTopic>,
): TopicPlan {
  const plan: TopicPlan = { actions: [], problems: [], converged: [] };
  for (const topic of desired) {
    const current = observed.get(topic.name);
    if (topic.delete) {
      if (current) plan.actions.push({ kind: 'delete', name: topic.name });
      continue;
    }
    if (!current) {
      plan.actions.push({ kind: 'create', topic });
      plan.converged.push(topic.name);
      continue;
    }
    let ok = true;
    if (topic.partitions > current.partitions) {
      plan.actions.push({
        kind: 'addPartitions',
        name: topic.name,
        from: current.partitions,
        to: topic.partitions,
      });
    } else if (topic.partitions < current.partitions) {
      ok = false;
      plan.problems.push({
        name: topic.name,
        reason: 'PartitionsCannotShrink',
        message: `topic ${topic.name} has ${current.partitions} partitions, the spec asks for ${topic.partitions}; Kafka cannot remove partitions`,
      });
    }
    if (topic.replicationFactor !== current.replicationFactor) {
      ok = false;
      plan.problems.push({
        name: topic.name,
        reason: 'ReplicationFactorChange',
        message: `topic ${topic.name} has replication factor ${current.replicationFactor}, the spec asks for ${topic.replicationFactor}; changing it needs a partition reassignment, which the operator does not do`,
      });
    }
    const changed = Object.keys(topic.configs)
      .filter((key) => current.dynamicConfigs[key] !== topic.configs[key])
      .sort();
    if (changed.length > 0) {
      plan.actions.push({
        kind: 'alterConfigs',
        name: topic.name,
        configs: { ...current.dynamicConfigs, ...topic.configs },
        changed,
      });
    }
    if (ok) plan.converged.push(topic.name);
  }
  return plan;
}
