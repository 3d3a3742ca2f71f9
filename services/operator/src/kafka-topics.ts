import { ConfigResourceTypes, Kafka, logLevel, type Admin, type SASLOptions } from 'kafkajs';
import type { KafkaSasl, Logger } from '@messenger/platform';
import { KafkaAccessError, type Failure } from './conditions.js';
import type { DesiredTopic, ObservedTopic, TopicAction } from './topics-plan.js';

/** Kafka's DescribeConfigs `configSource` of a setting made on the topic itself. */
const DYNAMIC_TOPIC_CONFIG = 1;

export interface TopicAdmin {
  observe(names: readonly string[]): Promise<Map<string, ObservedTopic>>;
  /** Runs the actions one by one; a failed one is reported and does not stop the others. */
  apply(actions: readonly TopicAction[]): Promise<Failure[]>;
  close(): Promise<void>;
}

/** The broker refused the SASL credentials (kafkajs wraps that error in its `cause`). */
function refusedCredentials(error: unknown): boolean {
  for (let current = error; current instanceof Error; current = current.cause) {
    if (current.name === 'KafkaJSSASLAuthenticationError') return true;
  }
  return false;
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const type = (error as { type?: unknown }).type;
    const nested = (error as { errors?: unknown }).errors;
    const inner = Array.isArray(nested)
      ? nested
          .filter((item): item is Error => item instanceof Error)
          .map((item) => ` (${describe(item)})`)
          .join('')
      : '';
    return `${typeof type === 'string' ? `${type}: ` : ''}${error.message}${inner}`;
  }
  return String(error);
}

function actionName(action: TopicAction): string {
  return action.kind === 'create' ? action.topic.name : action.name;
}

function actionLabel(action: TopicAction): string {
  switch (action.kind) {
    case 'create':
      return `create topic ${action.topic.name}`;
    case 'addPartitions':
      return `raise partitions of ${action.name} from ${action.from} to ${action.to}`;
    case 'alterConfigs':
      return `set ${action.changed.join(', ')} of ${action.name}`;
    case 'delete':
      return `delete topic ${action.name}`;
  }
}

/** A kafkajs admin that fails fast (the reconcile loop retries), connected on first use. */
export class KafkaTopicAdmin implements TopicAdmin {
  private admin: Admin | undefined;
  private brokerCount: number | undefined;
  private readonly kafka: Kafka;

  constructor(
    brokers: string[],
    sasl: KafkaSasl | undefined,
    private readonly logger: Logger,
    timeoutMs: number,
  ) {
    this.kafka = new Kafka({
      clientId: 'messenger-operator',
      brokers,
      ...(sasl ? { sasl: { ...sasl } as SASLOptions } : {}),
      connectionTimeout: timeoutMs,
      requestTimeout: timeoutMs,
      retry: { retries: 1, initialRetryTime: 200, maxRetryTime: 1_000 },
      logLevel: logLevel.NOTHING,
    });
  }

  private async connected(): Promise<Admin> {
    if (this.admin) return this.admin;
    const admin = this.kafka.admin();
    try {
      await admin.connect();
    } catch (error) {
      await admin.disconnect().catch(() => undefined);
      throw error;
    }
    this.admin = admin;
    return admin;
  }

  /** Drops the connection after an error, so the next reconcile starts afresh. */
  private async reset(): Promise<void> {
    const admin = this.admin;
    this.admin = undefined;
    await admin?.disconnect().catch(() => undefined);
  }

  async observe(names: readonly string[]): Promise<Map<string, ObservedTopic>> {
    try {
      const admin = await this.connected();
      this.brokerCount = (await admin.describeCluster()).brokers.length;
      const all = new Set(await admin.listTopics());
      const present = names.filter((name) => all.has(name));
      const observed = new Map<string, ObservedTopic>();
      if (present.length === 0) return observed;
      const metadata = await admin.fetchTopicMetadata({ topics: present });
      const configs = await admin.describeConfigs({
        includeSynonyms: false,
        resources: present.map((name) => ({ type: ConfigResourceTypes.TOPIC, name })),
      });
      const dynamic = new Map<string, Record<string, string>>();
      for (const resource of configs.resources) {
        const entries: Record<string, string> = {};
        for (const entry of resource.configEntries) {
          const source = (entry as { configSource?: number }).configSource;
          if (source === DYNAMIC_TOPIC_CONFIG) entries[entry.configName] = entry.configValue;
        }
        dynamic.set(resource.resourceName, entries);
      }
      for (const topic of metadata.topics) {
        observed.set(topic.name, {
          name: topic.name,
          partitions: topic.partitions.length,
          replicationFactor: topic.partitions[0]?.replicas.length ?? 0,
          dynamicConfigs: dynamic.get(topic.name) ?? {},
        });
      }
      return observed;
    } catch (error) {
      await this.reset();
      const reason = refusedCredentials(error) ? 'KafkaAuthenticationFailed' : 'KafkaUnreachable';
      throw new KafkaAccessError(reason, describe(error));
    }
  }

  async apply(actions: readonly TopicAction[]): Promise<Failure[]> {
    const failures: Failure[] = [];
    for (const action of actions) {
      try {
        const admin = await this.connected();
        await this.run(admin, action);
        this.logger.info({ action: actionLabel(action) }, 'kafka topic changed');
      } catch (error) {
        const brokers =
          action.kind === 'create' && this.brokerCount !== undefined
            ? ` (replication factor ${action.topic.replicationFactor}, ${this.brokerCount} brokers)`
            : '';
        const message = `could not ${actionLabel(action)}${brokers}: ${describe(error)}`;
        this.logger.warn({ err: error, action: actionLabel(action) }, 'kafka topic action failed');
        failures.push({ name: actionName(action), reason: 'TopicNotReconciled', message });
      }
    }
    return failures;
  }

  private async run(admin: Admin, action: TopicAction): Promise<void> {
    switch (action.kind) {
      case 'create':
        await this.create(admin, action.topic);
        return;
      case 'addPartitions':
        await admin.createPartitions({
          topicPartitions: [{ topic: action.name, count: action.to }],
        });
        return;
      case 'alterConfigs':
        await admin.alterConfigs({
          validateOnly: false,
          resources: [
            {
              type: ConfigResourceTypes.TOPIC,
              name: action.name,
              configEntries: Object.entries(action.configs).map(([name, value]) => ({
                name,
                value,
              })),
            },
          ],
        });
        return;
      case 'delete':
        await admin.deleteTopics({ topics: [action.name] });
        return;
    }
  }

  private async create(admin: Admin, topic: DesiredTopic): Promise<void> {
    const created = await admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic: topic.name,
          numPartitions: topic.partitions,
          replicationFactor: topic.replicationFactor,
          configEntries: Object.entries(topic.configs).map(([name, value]) => ({ name, value })),
        },
      ],
    });
    if (!created) this.logger.info({ topic: topic.name }, 'topic existed already');
  }

  async close(): Promise<void> {
    await this.reset();
  }
}
