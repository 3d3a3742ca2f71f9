/** Every Kafka topic of the platform, declared once. The operator and the services create them from here. */
export interface TopicSpec {
  readonly name: string;
  readonly partitions: number;
  readonly retentionMs: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export const topics = {
  user: { name: 'messenger.user.v1', partitions: 6, retentionMs: 30 * DAY_MS },
  session: { name: 'messenger.session.v1', partitions: 6, retentionMs: 7 * DAY_MS },
  profile: { name: 'messenger.profile.v1', partitions: 6, retentionMs: 30 * DAY_MS },
  contact: { name: 'messenger.contact.v1', partitions: 6, retentionMs: 30 * DAY_MS },
  message: { name: 'messenger.message.v1', partitions: 12, retentionMs: 7 * DAY_MS },
} as const satisfies Record<string, TopicSpec>;

export type TopicKey = keyof typeof topics;

export const allTopics: readonly TopicSpec[] = Object.values(topics);
