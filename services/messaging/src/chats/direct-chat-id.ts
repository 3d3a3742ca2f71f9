import { createHash } from 'node:crypto';

/**
 * The id of the direct chat of two users, the same whoever asks: one direct chat per pair then
 * follows from the `_id` index. A version-8 (custom) UUID from a SHA-256 of the sorted pair.
 */
export function directChatId(a: string, b: string): string {
  const [first, second] = [a, b].sort();
  const bytes = createHash('sha256').update(`direct:${first}:${second}`).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x80;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
