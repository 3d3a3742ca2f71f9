import type { z } from 'zod';
import { problems, type FieldError } from './problem.js';

function fieldErrors(error: z.ZodError, prefix: string): FieldError[] {
  return error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter(Boolean).join('.'),
    message: issue.message,
  }));
}

/**
 * Parses untrusted input with a schema; anything that does not fit is a 400
 * `validation_failed` naming each field, so handlers only ever see typed, valid data.
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, where = ''): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw problems.validation(fieldErrors(result.error, where));
  return result.data;
}
