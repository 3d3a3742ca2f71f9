import type { Kafka } from 'kafkajs';
import { Gauge, type Registry } from 'prom-client';

const gauges = new WeakMap<Registry, Gauge<'topic' | 'group'>>();
const watched = new WeakMap<
  Registry,
  Map<string, { kafka: Kafka; group: string; topics: string[] }>
>();

/**
 * `kafka_consumer_lag{topic,group}`: messages committed to a topic that the group has not yet
 * processed, summed over partitions. Read from the brokers at scrape time.
 */
export function watchConsumerLag(
  registry: Registry,
  kafka: Kafka,
  group: string,
  topics: string[],
): void {
  const groups =
    watched.get(registry) ?? new Map<string, { kafka: Kafka; group: string; topics: string[] }>();
  watched.set(registry, groups);
  groups.set(group, { kafka, group, topics });
  if (gauges.has(registry)) return;
  gauges.set(
    registry,
    new Gauge({
      name: 'kafka_consumer_lag',
      help: 'Messages in a topic not yet processed by a consumer group',
      labelNames: ['topic', 'group'] as const,
      registers: [registry],
      async collect() {
        for (const entry of groups.values()) {
          const admin = entry.kafka.admin();
          await admin.connect();
          try {
            for (const topic of entry.topics) {
              const [committed, latest] = await Promise.all([
                admin.fetchOffsets({ groupId: entry.group, topics: [topic] }),
                admin.fetchTopicOffsets(topic),
              ]);
              const done = new Map(
                (committed[0]?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]),
              );
              const lag = latest.reduce((sum, p) => {
                const position = done.get(p.partition) ?? -1;
                return sum + Math.max(0, Number(p.high) - Math.max(position, Number(p.low)));
              }, 0);
              this.set({ topic, group: entry.group }, lag);
            }
          } finally {
            await admin.disconnect();
          }
        }
      },
    }),
  );
}
