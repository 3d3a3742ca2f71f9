import type { Model } from 'mongoose';
import { findLogEnd, type LogEnd } from './log-position.js';
import type { RelayHeadDoc } from './relay-head-model.js';

/** How many logs' ends an instance remembers (the most recently used ones). */
const REMEMBERED_LOGS = 20_000;

export interface LogKind<T> {
  /** The relay head's `_id` of a log. */
  headKey: (log: string) => string;
  /** The record at one position of a log, or null. */
  lookup: (log: string, position: number) => Promise<T | null>;
}

export interface FoundEnd<T> extends LogEnd<T> {
  head: RelayHeadDoc | null;
}

/**
 * Finds the ends of one kind of log: from the best position known to be stored (what this
 * instance last saw, with its record, or the relay's head), probed forward by key
 * (log-position.ts). Records never change, and a remembered position is only ever a lower
 * bound, so a stale memory costs lookups, never a wrong answer.
 */
export class LogEnds<T> {
  private readonly known = new Map<string, LogEnd<T>>();

  constructor(
    private readonly heads: Model<RelayHeadDoc>,
    private readonly kind: LogKind<T>,
  ) {}

  /** The end, probed from the remembered position, or from the relay's head when there is none. */
  async find(log: string): Promise<FoundEnd<T>> {
    const remembered = this.known.get(log);
    const head = remembered
      ? null
      : await this.heads.findById(this.kind.headKey(log)).lean<RelayHeadDoc>();
    const from = remembered ?? { position: head?.relayed ?? 0, record: null };
    const probed = await findLogEnd((position) => this.kind.lookup(log, position), from.position);
    const end = probed.position === from.position ? { ...probed, record: from.record } : probed;
    this.note(log, end.position, end.record);
    return { ...end, head };
  }

  /** The record at the end of the log (null when it is empty), read or remembered. */
  async last(log: string): Promise<LogEnd<T>> {
    const end = await this.find(log);
    if (end.record !== null || end.position === 0) return end;
    const record = await this.kind.lookup(log, end.position);
    this.note(log, end.position, record);
    return { position: end.position, record };
  }

  /** The remembered end, if any: a stored position (and its record when known). */
  remembered(log: string): LogEnd<T> | undefined {
    return this.known.get(log);
  }

  /** Remembers that `position` is stored, with its record when the caller has it. */
  note(log: string, position: number, record: T | null = null): void {
    const known = this.known.get(log);
    if (known && (position < known.position || (position === known.position && !record))) return;
    this.known.delete(log);
    this.known.set(log, { position, record });
    if (this.known.size > REMEMBERED_LOGS) {
      const oldest = this.known.keys().next();
      if (!oldest.done) this.known.delete(oldest.value);
    }
  }
}
