import { z } from 'zod';

/** `?limit=1..100` (default 20) and an opaque `?cursor=` (docs/api.md, "Lists"). */
export const pageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().min(1).max(512).optional(),
});

/** `{items, nextCursor}`: `nextCursor` is null on the last page. */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });
