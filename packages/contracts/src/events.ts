import { z } from 'zod';
import { idSchema } from './ids.js';
import { topics, type TopicSpec } from './topics.js';

/** The envelope of every domain event (docs/api.md, "Domain events"). */
export const envelopeSchema = z.object({
  id: idSchema,
  type: z.string().min(1),
  version: z.number().int().positive(),
  occurredAt: z.iso.datetime(),
  producer: z.string().min(1),
  traceparent: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
});

export type Envelope<T = Record<string, unknown>> = Omit<z.infer<typeof envelopeSchema>, 'data'> & {
  data: T;
};

/** Which topic carries each event type; the key of each event is its aggregate id. */
export const eventTopics = {
  'user.created': topics.user,
  'user.email_verified': topics.user,
  'session.created': topics.session,
  'session.revoked': topics.session,
  'profile.updated': topics.profile,
  'friendship.created': topics.contact,
  'friendship.accepted': topics.contact,
  'friendship.removed': topics.contact,
  'user.blocked': topics.contact,
  'user.unblocked': topics.contact,
  'message.sent': topics.message,
  'message.seen': topics.message,
  'message.edited': topics.message,
  'message.deleted': topics.message,
  'message.reacted': topics.message,
  'chat.member_role_changed': topics.message,
  'chat.renamed': topics.message,
} as const satisfies Record<string, TopicSpec>;

export type EventType = keyof typeof eventTopics;

export function topicOf(type: EventType): TopicSpec {
  return eventTopics[type];
}
