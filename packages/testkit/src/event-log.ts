/** Reads a topic from the beginning in a throw-away consumer group, for asserting on events. */
import type { Envelope, TopicSpec } from '@messenger/contracts';
import { createKafka, createLogger, Registry, startConsumer } from '@messenger/platform';
import { eventually } from './eventually.js';
import { stack, uniqueName } from './stack.js';

export interface EventLog {
  find: (match: (event: Envelope) => boolean, what: string) => Promise<Envelope>;
  close: () => Promise<void>;
}

export async function readEvents(topic: TopicSpec): Promise<EventLog> {
  const logger = createLogger('event-log', 'silent');
  const kafka = createKafka(uniqueName('event-log'), stack.kafkaBrokers, logger);
  const groupId = uniqueName('event-log');
  const seen: Envelope[] = [];
  const consumer = await startConsumer({
    kafka,
    groupId,
    topics: [topic],
    logger,
    registry: new Registry(),
    fromBeginning: true,
    handle: (event) => {
      seen.push(event);
      return Promise.resolve();
    },
  });
  return {
    find: (match, what) => eventually(() => seen.find(match), 30_000, what),
    close: async () => {
      await consumer.disconnect();
      const admin = kafka.admin();
      await admin.connect();
      await admin.deleteGroups([groupId]).catch(() => undefined);
      await admin.disconnect();
    },
  };
}
