import { z } from 'zod';

/**
 * The one id rule: a UUID, accepted in either case and lower-cased, the form Postgres and
 * `randomUUID` produce, so ids compare, key caches and match stored documents the same way
 * whichever case a client sent. Every id of a contract (parameters, bodies, answers, event data)
 * is this schema; its JSON Schema is a plain `uuid` string.
 */
export const idSchema = z.uuid().toLowerCase();
