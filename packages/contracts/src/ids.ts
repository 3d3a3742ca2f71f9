import { z } from 'zod';

/**
 * A UUID as clients may send it, in the lower-case form Postgres returns: ids compare and key
 * caches the same way whichever case they came in.
 */
export const idSchema = z.uuid().transform((id) => id.toLowerCase());
