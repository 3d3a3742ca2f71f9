/**
 * The search projection's tests: message events as messaging publishes them (envelopes keyed by
 * chat id on the real message topic), and the projection's handler run on the real Kafka from
 * the topic's current end, so a test reads only what it published.
 */
import { randomUUID } from 'node:crypto';
import type { Consumer, Producer } from 'kafkajs';
import {
  topics,
  type Envelope,
  type EventType,
  type Message,
  type MessageChangedData,
  type MessageReactedData,
  type MessageSentData,
} from '@messenger/contracts';
import { connectProducer, publishEvents, type EventHandler } from '@messenger/platform';
import { kafka } from '../kafka.js';
import { uniqueName } from '../stack.js';

export function userMessage(
  chatId: string,
  seq: number,
  senderId: string,
  content: string,
  createdAt = new Date(),
): Message {
  return {
    id: randomUUID(),
    chatId,
    seq,
    type: 'user',
    senderId,
    clientMsgId: randomUUID(),
    content,
    mediaUrl: null,
    createdAt: createdAt.toISOString(),
    editedAt: null,
    deleted: false,
    reactions: [],
    replyTo: null,
    attachments: [],
  };
}

export function systemMessage(
  chatId: string,
  seq: number,
  event: 'joined' | 'left' | 'removed',
  actorId: string,
  subjectId: string,
): Message {
  return {
    ...userMessage(chatId, seq, actorId, ''),
    type: 'system',
    system: { event, actorId, subjectId },
  };
}

export function envelopeOf(
  type: EventType,
  data: MessageSentData | MessageChangedData | MessageReactedData,
  id: string = randomUUID(),
): Envelope {
  return {
    id,
    type,
    version: 1,
    occurredAt: new Date().toISOString(),
    producer: 'messaging',
    traceparent: null,
    data: { ...data },
  };
}

export const sentEvent = (message: Message, recipientIds: string[]) =>
  envelopeOf('message.sent', { message, recipientIds });

export const editedEvent = (message: Message, content: string, changeSeq: number) =>
  envelopeOf('message.edited', {
    message: { ...message, content, editedAt: new Date().toISOString() },
    changeSeq,
    recipientIds: [],
    reactors: {},
  });

export const deletedEvent = (message: Message, changeSeq: number) =>
  envelopeOf('message.deleted', {
    message: { ...message, content: null, deleted: true },
    changeSeq,
    recipientIds: [],
    reactors: {},
  });

/** `userId` reacted with `emoji`; `reactors` are everyone behind each emoji afterwards. */
export const reactedEvent = (
  message: Message,
  changeSeq: number,
  userId: string,
  emoji: string,
  reactors: Record<string, string[]>,
) =>
  envelopeOf('message.reacted', {
    message: {
      ...message,
      reactions: Object.entries(reactors).map(([mark, users]) => ({
        emoji: mark,
        count: users.length,
        me: users.includes(userId),
      })),
    },
    changeSeq,
    recipientIds: [],
    reactors,
    userId,
    emoji,
    added: true,
  });

export interface MessageTopic {
  publish: (...envelopes: Envelope[]) => Promise<void>;
  stop: () => Promise<void>;
}

/**
 * Runs `handle` on every message-topic event published from now on (a group of its own,
 * seeked to the end offsets read before it joined), and publishes events keyed by chat id.
 */
export async function messageTopicFromNow(handle: EventHandler): Promise<MessageTopic> {
  const topic = topics.message.name;
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const consumer: Consumer = kafka.consumer({ groupId: uniqueName('search_test') });
  await consumer.connect();
  await consumer.subscribe({ topic });
  const joined = new Promise<void>((resolve) => {
    consumer.on(consumer.events.GROUP_JOIN, () => {
      resolve();
    });
  });
  await consumer.run({
    eachMessage: async ({ message }) => {
      await handle(JSON.parse(message.value?.toString('utf8') ?? '{}') as Envelope);
    },
  });
  for (const { partition, offset } of offsets) consumer.seek({ topic, partition, offset });
  await joined;
  const producer: Producer = await connectProducer(kafka);
  return {
    publish: (...envelopes) =>
      publishEvents(
        producer,
        envelopes.map((envelope) => ({
          topic,
          key: (envelope.data['message'] as Message).chatId,
          envelope,
        })),
      ),
    stop: async () => {
      await producer.disconnect();
      await consumer.disconnect();
    },
  };
}
