import type { z } from 'zod';
import { parseInput } from './validate.js';
import { problems } from './problem.js';

/** Declared once, with the contracts; re-exported for the services' routes. */
export { pageQuerySchema } from '@messenger/contracts';

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
