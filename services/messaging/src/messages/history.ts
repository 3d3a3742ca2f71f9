import { z } from 'zod';
import { decodeCursor, encodeCursor, type Page } from '@messenger/platform';
import type { Message } from '@messenger/contracts';
import { messageView } from '../chats/chat-view.js';
import { messageKeyRange, type MessageDoc } from '../store/message-model.js';
import type { Store } from '../store/store.js';

export interface SeqBounds {
  afterSeq?: number | undefined;
  beforeSeq?: number | undefined;
}

/** A chat's messages with afterSeq < seq < beforeSeq: the first `limit` ('asc') or last ('desc'). */
export async function messagesBetween(
  store: Store,
  chatId: string,
  bounds: SeqBounds,
  limit: number,
  end: 'first' | 'last',
): Promise<Message[]> {
  const docs = await store.messages
    .find({ _id: messageKeyRange(chatId, bounds) })
    .sort({ _id: end === 'first' ? 1 : -1 })
    .limit(limit)
    .lean<MessageDoc[]>();
  const messages = docs.map(messageView);
  return end === 'first' ? messages : messages.reverse();
}

const cursorSchema = z
  .object({
    afterSeq: z.number().int().min(0).optional(),
    beforeSeq: z.number().int().min(1).optional(),
  })
  .strict()
  .refine((c) => c.afterSeq !== undefined || c.beforeSeq !== undefined);

/**
 * History in seq order. With `afterSeq` it pages forward from there (towards `beforeSeq` if
 * given); otherwise it returns the newest messages before `beforeSeq` (or the newest of all) and
 * pages backwards. A cursor carries the bounds of the next page.
 */
export async function historyPage(
  store: Store,
  chatId: string,
  query: SeqBounds & { limit: number; cursor?: string | undefined },
): Promise<Page<Message>> {
  const bounds: SeqBounds = query.cursor
    ? decodeCursor(cursorSchema, query.cursor)
    : { afterSeq: query.afterSeq, beforeSeq: query.beforeSeq };
  const forward = bounds.afterSeq !== undefined;
  const fetched = await messagesBetween(
    store,
    chatId,
    bounds,
    query.limit + 1,
    forward ? 'first' : 'last',
  );
  const more = fetched.length > query.limit;
  const items = forward ? fetched.slice(0, query.limit) : fetched.slice(-query.limit);
  let nextCursor: string | null = null;
  if (more && forward) {
    nextCursor = encodeCursor({ ...bounds, afterSeq: items.at(-1)?.seq });
  } else if (more) {
    nextCursor = encodeCursor({ beforeSeq: items[0]?.seq });
  }
  return { items, nextCursor };
}
