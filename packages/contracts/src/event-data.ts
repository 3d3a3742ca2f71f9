import { z } from 'zod';
import {
  friendshipAcceptedData,
  friendshipCreatedData,
  friendshipRemovedData,
  userBlockedData,
  userUnblockedData,
} from './contact-events.js';
import type { Envelope, EventType } from './events.js';
import { profileSchema } from './http/profile-api.js';
import {
  sessionCreatedData,
  sessionRevokedData,
  userCreatedData,
  userEmailVerifiedData,
} from './identity.js';
import {
  chatMemberRoleChangedDataSchema,
  chatRenamedDataSchema,
  messageChangedDataSchema,
  messageReactedDataSchema,
  messageSeenDataSchema,
  messageSentDataSchema,
} from './messaging.js';

/** `profile.updated`: the profile after the change and the names of the fields that changed. */
export const profileUpdatedData = profileSchema.extend({
  changed: z.array(z.enum(['nickname', 'displayName', 'bio', 'avatarUrl'])).min(1),
});

/** The `data` schema of each event type (docs/conventions.md, "Event data"). */
export const eventDataSchemas = {
  'user.created': userCreatedData,
  'user.email_verified': userEmailVerifiedData,
  'session.created': sessionCreatedData,
  'session.revoked': sessionRevokedData,
  'profile.updated': profileUpdatedData,
  'friendship.created': friendshipCreatedData,
  'friendship.accepted': friendshipAcceptedData,
  'friendship.removed': friendshipRemovedData,
  'user.blocked': userBlockedData,
  'user.unblocked': userUnblockedData,
  'message.sent': messageSentDataSchema,
  'message.seen': messageSeenDataSchema,
  'message.edited': messageChangedDataSchema,
  'message.deleted': messageChangedDataSchema,
  'message.reacted': messageReactedDataSchema,
  'chat.member_role_changed': chatMemberRoleChangedDataSchema,
  'chat.renamed': chatRenamedDataSchema,
} as const satisfies Record<EventType, z.ZodType>;

export type EventData<T extends EventType> = z.output<(typeof eventDataSchemas)[T]>;

/** An event's type with its data, typed by the type: switch on `type` and `data` follows. */
export type TypedEvent = { [T in EventType]: { type: T; data: EventData<T> } }[EventType];

function isEventType(type: string): type is EventType {
  return Object.hasOwn(eventDataSchemas, type);
}

/**
 * The envelope's type and data when the type is known and the data fits its schema; undefined
 * otherwise (consumers skip such events).
 */
export function parseEvent(envelope: Pick<Envelope, 'type' | 'data'>): TypedEvent | undefined {
  if (!isEventType(envelope.type)) return undefined;
  const parsed = eventDataSchemas[envelope.type].safeParse(envelope.data);
  return parsed.success ? ({ type: envelope.type, data: parsed.data } as TypedEvent) : undefined;
}
