import { z } from 'zod';
import { decodeCursor, encodeCursor, type Page } from '@messenger/platform';

/** Lists here run newest first over a `seq` column; the cursor is the last seq served. */
const seqCursorSchema = z.object({ before: z.string().regex(/^[1-9][0-9]{0,17}$/) });

export interface Sequenced<T> {
  seq: string;
  item: T;
}

export function beforeSeqOf(cursor: string | undefined): string | undefined {
  return cursor === undefined ? undefined : decodeCursor(seqCursorSchema, cursor).before;
}

/** Turns `limit + 1` fetched rows into a page, with a cursor when there is more. */
export function toPage<T>(rows: readonly Sequenced<T>[], limit: number): Page<T> {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => row.item),
    nextCursor: rows.length > limit && last ? encodeCursor({ before: last.seq }) : null,
  };
}
