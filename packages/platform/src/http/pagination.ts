import { z } from 'zod';
import { parseInput } from './validate.js';
import { problems } from './problem.js';

/** `?limit=1..100` (default 20) and an opaque `?cursor=` (docs/api.md, "Lists"). */
export const pageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().min(1).max(512).optional(),
});

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export function encodeCursor(position: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

/** Decodes a cursor made by encodeCursor; a forged or corrupt one is a 400, never a 500. */
export function decodeCursor<S extends z.ZodType>(schema: S, cursor: string): z.infer<S> {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw problems.validation([{ path: 'query.cursor', message: 'Invalid cursor' }]);
  }
  return parseInput(schema, decoded, 'query.cursor');
}
