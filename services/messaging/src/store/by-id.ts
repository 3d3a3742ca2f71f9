import type { Model } from 'mongoose';

/**
 * Documents by `_id`, in the order asked, missing ones left out: one bare `_id` lookup each,
 * because FerretDB v1 serves only a bare `_id` equality from an index (`$in` scans).
 */
export async function findByIds<T>(model: Model<T>, ids: string[]): Promise<T[]> {
  const docs = await Promise.all(ids.map((id) => model.findById(id, { outbox: 0 }).lean<T>()));
  return docs.filter((doc): doc is NonNullable<typeof doc> => doc !== null);
}
