import { z } from 'zod';
import { tagActiveSpan, type BatchHandler, type Logger, type Redis } from '@messenger/platform';
import {
  messageChangedDataSchema,
  messageSeenDataSchema,
  messageSentDataSchema,
  sessionRevokedData,
  type Envelope,
  type MessageChangedData,
  type MessageSeenData,
  type MessageSentData,
} from '@messenger/contracts';
import type { MessagingMetrics } from '../metrics.js';
import { sessionRoom, userRoom, type MessagingServer } from '../socket-types.js';

/** Emitted event ids are remembered this long, so a republished event is not pushed twice. */
const EMITTED_TTL_SECONDS = 24 * 60 * 60;

export interface DeliveryDeps {
  io: MessagingServer;
  redis: Redis;
  metrics: MessagingMetrics;
  logger: Logger;
}

/** What one event asks of delivery: an emit, and the key that makes it happen once. */
interface Delivery {
  emit: () => void;
  /** Set for events emitted once per event id (a revocation is simply repeated). */
  onceKey: string | undefined;
}

const emittedKey = (eventId: string) => `messaging:emitted:${eventId}`;

/**
 * The delivery consumer (one group for all instances), a partition's batch at a time:
 * `message.sent` becomes `message:new` in every recipient's room, the sender's other devices
 * included; `message.seen` becomes `message:receipt`; `message.edited`, `message.deleted` and
 * `message.reacted` become `message:updated`, each recipient told whether they are among a
 * reaction's users; `session.revoked` closes that session's sockets on whichever instance holds
 * them. Emits go through the adapter, each inside its event's consumer span, so the trace
 * continues into them.
 *
 * Emits at least once: a redelivery after the emit but before the mark pushes again, which
 * clients absorb by message id and seq; otherwise an event id is pushed once. A batch costs two
 * Redis round trips (which ids were emitted, then marking the new ones), not two per event.
 */
export function deliveryHandler(deps: DeliveryDeps): BatchHandler {
  const parse = <S extends z.ZodType>(schema: S, envelope: Envelope): z.infer<S> | undefined => {
    const parsed = schema.safeParse(envelope.data);
    if (parsed.success) return parsed.data;
    deps.logger.warn({ eventId: envelope.id, type: envelope.type }, 'skipping a malformed event');
    return undefined;
  };

  const deliveryOf = (envelope: Envelope): Delivery | undefined => {
    const once = (emit: () => void): Delivery => ({ emit, onceKey: emittedKey(envelope.id) });
    switch (envelope.type) {
      case 'message.sent': {
        const data = parse(messageSentDataSchema, envelope);
        return (
          data &&
          once(() => {
            deliverMessage(deps, data);
          })
        );
      }
      case 'message.seen': {
        const data = parse(messageSeenDataSchema, envelope);
        return (
          data &&
          once(() => {
            deliverReceipt(deps, data);
          })
        );
      }
      case 'message.edited':
      case 'message.deleted':
      case 'message.reacted': {
        // A reaction's data is a change's data with what changed; the message is what matters.
        const data = parse(messageChangedDataSchema, envelope);
        return (
          data &&
          once(() => {
            deliverChange(deps, data);
          })
        );
      }
      case 'session.revoked': {
        const data = parse(sessionRevokedData, envelope);
        if (!data) return undefined;
        return {
          emit: () => {
            deps.io.in(sessionRoom(data.sessionId)).disconnectSockets(true);
          },
          onceKey: undefined,
        };
      }
      default:
        return undefined;
    }
  };

  return async (events) => {
    const deliveries = events.flatMap((event) => {
      const delivery = deliveryOf(event.envelope);
      return delivery ? [{ event, delivery }] : [];
    });
    const keys = [...new Set(deliveries.flatMap(({ delivery }) => delivery.onceKey ?? []))];
    const emitted = new Set(
      keys.length === 0
        ? []
        : (await deps.redis.mget(keys)).flatMap((value, i) => (value === null ? [] : [keys[i]])),
    );
    const marked: string[] = [];
    for (const { event, delivery } of deliveries) {
      const key = delivery.onceKey;
      if (key !== undefined && emitted.has(key)) continue;
      event.within(delivery.emit);
      if (key === undefined) continue;
      emitted.add(key); // a republished copy later in the batch is not pushed again
      marked.push(key);
    }
    if (marked.length === 0) return;
    const pipeline = deps.redis.pipeline();
    for (const key of marked) pipeline.set(key, '1', 'EX', EMITTED_TTL_SECONDS);
    await pipeline.exec();
  };
}

function deliverMessage(deps: DeliveryDeps, { message, recipientIds }: MessageSentData): void {
  tagActiveSpan(message);
  if (recipientIds.length === 0) return;
  deps.io.to(recipientIds.map(userRoom)).emit('message:new', message);
  deps.metrics.messagesDelivered.inc();
  deps.metrics.deliveryLatency.observe((Date.now() - Date.parse(message.createdAt)) / 1000);
}

function deliverReceipt(deps: DeliveryDeps, data: MessageSeenData): void {
  if (data.recipientIds.length === 0) return;
  const { chatId, userId, upToSeq, kind, at } = data;
  deps.io.to(data.recipientIds.map(userRoom)).emit('message:receipt', {
    chatId,
    userId,
    upToSeq,
    kind,
    at,
  });
}

/**
 * The changed message to every recipient's room, grouped by the emoji the recipient reacted
 * with, so each group's `reactions[].me` is right for its members with one emit per group.
 */
function deliverChange(deps: DeliveryDeps, data: MessageChangedData): void {
  tagActiveSpan(data.message);
  const groups = new Map<string, { mine: Set<string>; rooms: string[] }>();
  for (const userId of data.recipientIds) {
    const mine = Object.keys(data.reactors).filter((emoji) =>
      data.reactors[emoji]?.includes(userId),
    );
    const key = mine.join(' ');
    const group = groups.get(key) ?? { mine: new Set(mine), rooms: [] };
    group.rooms.push(userRoom(userId));
    groups.set(key, group);
  }
  for (const { mine, rooms } of groups.values()) {
    const reactions = data.message.reactions.map((r) => ({ ...r, me: mine.has(r.emoji) }));
    deps.io.to(rooms).emit('message:updated', {
      message: { ...data.message, reactions },
      changeSeq: data.changeSeq,
    });
  }
}
