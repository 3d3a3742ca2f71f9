/** The stack's Kafka as tests read it: this test's own events, or everything published from now on. */
import type { Consumer } from 'kafkajs';
import { topics, type Envelope, type TopicSpec } from '@messenger/contracts';
import {
  createKafka,
  createLogger,
  createRegistry,
  startConsumer,
  type EventHandler,
} from '@messenger/platform';
import { stack, uniqueName } from './stack.js';

export const logger = createLogger('testkit', 'silent');
export const kafka = createKafka('testkit', stack.kafkaBrokers, logger);

/** Consumes the user topic in a fresh group, passing on only the events of `producerName`. */
export async function consumeOwnEvents(
  producerName: string,
  handle: EventHandler,
): Promise<Consumer> {
  return startConsumer({
    kafka,
    groupId: uniqueName('testkit'),
    topics: [topics.user],
    logger,
    registry: createRegistry('testkit'),
    handle: (envelope: Envelope) =>
      envelope.producer === producerName ? handle(envelope) : Promise.resolve(),
  });
}

export type KeyedEnvelope = Envelope & { key: string | undefined };

/** Records every event published to `topic` from now on (it seeks past what is there). */
export async function watchTopic(
  topic: TopicSpec,
): Promise<{ events: KeyedEnvelope[]; stop: () => Promise<void> }> {
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic.name);
  await admin.disconnect();
  const consumer = kafka.consumer({ groupId: uniqueName('testkit') });
  await consumer.connect();
  await consumer.subscribe({ topic: topic.name });
  const events: KeyedEnvelope[] = [];
  await consumer.run({
    eachMessage: ({ message }) => {
      const envelope = JSON.parse(message.value?.toString('utf8') ?? '{}') as Envelope;
      events.push({ ...envelope, key: message.key?.toString('utf8') });
      return Promise.resolve();
    },
  });
  for (const { partition, offset } of offsets) {
    consumer.seek({ topic: topic.name, partition, offset });
  }
  return { events, stop: () => consumer.disconnect() };
}
