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
 * instance last saw, or the relay's head), probed forward by key (log-position.ts). A remembered
 * position is only ever a lower bound, so a stale one costs lookups, never a wrong answer.
 */
export class LogEnds<T> {
  private readonly known = new Map<string, number>();

  constructor(
    private readonly heads: Model<RelayHeadDoc>,
    private readonly kind: LogKind<T>,
  ) {}

  /** The end, probed from the remembered position, or from the relay's head when there is none. */
  async find(log: string): Promise<FoundEnd<T>> {
    const remembered = this.known.get(log);
    const head =
      remembered === undefined
        ? await this.heads.findById(this.kind.headKey(log)).lean<RelayHeadDoc>()
        : null;
    const known = Math.max(remembered ?? 0, head?.relayed ?? 0);
    const end = await findLogEnd((position) => this.kind.lookup(log, position), known);
    this.note(log, end.position);
    return { ...end, head };
  }

  /** The remembered end, if any: a stored position, possibly behind the real end. */
  remembered(log: string): number | undefined {
    return this.known.get(log);
  }

  /** The record at the end of the log, or null when it is empty. */
  async last(log: string): Promise<{ position: number; record: T | null }> {
    const end = await this.find(log);
    if (end.record !== null || end.position === 0) return end;
    return { position: end.position, record: await this.kind.lookup(log, end.position) };
  }

  /** Remembers that `position` is stored. */
  note(log: string, position: number): void {
    const known = this.known.get(log);
    if (known !== undefined && position <= known) return;
    this.known.delete(log);
    this.known.set(log, position);
    if (this.known.size > REMEMBERED_LOGS) {
      const oldest = this.known.keys().next();
      if (!oldest.done) this.known.delete(oldest.value);
    }
  }
}
