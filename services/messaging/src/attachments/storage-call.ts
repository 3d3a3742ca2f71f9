import { problems } from '@messenger/platform';

/** A call to the object store; its failure is the client's 503, never a 500. */
export async function storageCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch {
    throw problems.unavailable('The file store is unavailable; retry.');
  }
}
