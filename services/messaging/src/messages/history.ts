import { z } from 'zod';
import { decodeCursor, encodeCursor, type Page } from '@messenger/platform';
import type { Message } from '@messenger/contracts';
import type { MessageReader } from '../views/message-reader.js';
import type { ChatLog, SeqBounds } from './chat-log.js';

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
  log: ChatLog,
  reader: MessageReader,
  userId: string,
  chatId: string,
  query: SeqBounds & { limit: number; cursor?: string | undefined },
): Promise<Page<Message>> {
  const bounds: SeqBounds = query.cursor
    ? decodeCursor(cursorSchema, query.cursor)
    : { afterSeq: query.afterSeq, beforeSeq: query.beforeSeq };
  const forward = bounds.afterSeq !== undefined;
  const fetched = await reader.views(
    userId,
    await log.between(chatId, bounds, query.limit + 1, forward ? 'first' : 'last'),
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
