/**
 * Logs with gap-free positions. A chat's messages (position = seq) and a member's marks of one
 * kind are logs: a writer inserts position p only after p-1 is stored, against the `_id` index,
 * so the stored positions are always exactly 1..n. The end of a log is then found by key lookups
 * alone, from any position known to be stored: probe forward in growing steps, then halve the
 * gap. Each lookup is a bare `_id` equality, which every store serves from its primary index,
 * so the cost depends on how far the end moved since the hint, not on how much is stored.
 */
const POSITION_DIGITS = 16;

export function positionKey(log: string, position: number): string {
  return `${log}:${String(position).padStart(POSITION_DIGITS, '0')}`;
}

export interface LogEnd<T> {
  position: number;
  /** The record at `position`, when the probe read it (not when it stopped at the hint). */
  record: T | null;
}

/**
 * The last stored position at or after `known` (a position known to be stored, or 0), with the
 * record there when a probe read it.
 */
export async function findLogEnd<T>(
  lookup: (position: number) => Promise<T | null>,
  known: number,
): Promise<LogEnd<T>> {
  let end: LogEnd<T> = { position: known, record: null };
  // Steps 1, 1, 2, 4...: the usual end, one past the hint, costs two lookups.
  let step = 1;
  let hits = 0;
  let missing: number | undefined;
  while (missing === undefined) {
    const record = await lookup(end.position + step);
    if (record === null) missing = end.position + step;
    else {
      end = { position: end.position + step, record };
      hits += 1;
      if (hits > 1) step *= 2;
    }
  }
  while (missing - end.position > 1) {
    const middle = Math.floor((end.position + missing) / 2);
    const record = await lookup(middle);
    if (record === null) missing = middle;
    else end = { position: middle, record };
  }
  return end;
}
