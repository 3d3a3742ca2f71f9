import { randomUUID } from 'node:crypto';
import { currentTraceparent, isDuplicateKeyError, problems } from '@messenger/platform';
import type { ReceiptKind } from '@messenger/contracts';
import type { ChatAccess } from '../access/chat-access.js';
import type { OutboxWake } from '../outbox/outbox-wake.js';
import type { PendingLogs } from '../outbox/pending-logs.js';
import { LogEnds } from '../store/log-ends.js';
import { positionKey } from '../store/log-position.js';
import { markLog, type MarkDoc } from '../store/mark-model.js';
import type { Store } from '../store/store.js';
import type { ChatLog } from './chat-log.js';

export interface Mark {
  upToSeq: number;
  at: Date;
}

/** The relay head (and pending-relay key) of a mark log. */
export function markLogKey(log: string): string {
  return `mark:${log}`;
}

const MAX_ATTEMPTS = 20;

/**
 * Delivered and read high-water marks, each a log of strictly rising advances (mark-model.ts):
 * the mark is the log's last record, found by key probes from the relay's head.
 */
export class Marks {
  private readonly ends: LogEnds<MarkDoc>;

  constructor(
    private readonly store: Store,
    private readonly pending: PendingLogs,
    private readonly outbox: OutboxWake,
  ) {
    this.ends = new LogEnds(store.relayHeads, {
      headKey: markLogKey,
      lookup: (log, n) => store.marks.findById(positionKey(log, n)).lean<MarkDoc>(),
    });
  }

  /** One member's mark of one kind, or null before their first advance. */
  async current(chatId: string, userId: string, kind: ReceiptKind): Promise<Mark | null> {
    const log = markLog(chatId, userId, kind);
    const end = await this.ends.find(log);
    if (end.record) return end.record;
    if (end.position === 0) return null;
    const { head } = end;
    if (head?.relayed === end.position && head.upToSeq !== null)
      return { upToSeq: head.upToSeq, at: head.at };
    return this.store.marks.findById(positionKey(log, end.position)).lean<MarkDoc>();
  }

  /**
   * Moves the mark up to `upToSeq` unless it is there already; true when this call moved it.
   * `announce` false records the advance without a `message.seen` (a sender's own messages).
   */
  async advance(
    chatId: string,
    userId: string,
    kind: ReceiptKind,
    upToSeq: number,
    announce = true,
  ): Promise<boolean> {
    const log = markLog(chatId, userId, kind);
    // The usual case costs one insert: the record after the one this instance remembers. A
    // clash means another advance got there first; the end is then read again.
    let end = this.ends.remembered(log);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      if (!end || (end.position > 0 && !end.record)) end = await this.ends.last(log);
      if ((end.record?.upToSeq ?? 0) >= upToSeq) return false;
      const n = end.position + 1;
      const record: MarkDoc = {
        _id: positionKey(log, n),
        chatId,
        userId,
        kind,
        n,
        upToSeq,
        at: new Date(),
        eventId: randomUUID(),
        announce,
        traceparent: currentTraceparent(),
      };
      // An unannounced advance needs no relay of its own: the next announced one walks past it.
      if (announce) await this.pending.mark(markLogKey(log));
      try {
        await this.store.marks.create(record);
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        this.ends.note(log, n);
        end = undefined;
        continue;
      }
      this.ends.note(log, n, record);
      if (announce) {
        await this.pending.mark(markLogKey(log));
        this.outbox.nudge();
      }
      return true;
    }
    throw problems.unavailable('The mark is busy; retry.');
  }
}

/** A member's own marks, from the API: capped at the chat's last seq. */
export class MarkWriter {
  constructor(
    private readonly access: ChatAccess,
    private readonly log: ChatLog,
    private readonly marks: Marks,
  ) {}

  async mark(userId: string, chatId: string, kind: ReceiptKind, upToSeq: number): Promise<void> {
    await this.access.requireMember(chatId, userId);
    const lastSeq = await this.log.lastSeq(chatId);
    await this.marks.advance(chatId, userId, kind, Math.min(upToSeq, lastSeq));
  }
}
