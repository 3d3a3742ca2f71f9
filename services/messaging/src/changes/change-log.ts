import { randomUUID } from 'node:crypto';
import { currentTraceparent, isDuplicateKeyError, problems } from '@messenger/platform';
import { KeyedLane } from '../keyed-lane.js';
import type { OutboxWake } from '../outbox/outbox-wake.js';
import type { PendingLogs } from '../outbox/pending-logs.js';
import type { ChangeDoc } from '../store/change-model.js';
import { LogEnds } from '../store/log-ends.js';
import { findLogEnd, positionKey } from '../store/log-position.js';
import { findByKeyRange, type Store } from '../store/store.js';

/** The relay head (and pending-relay key) of a chat's changes. */
export function changeLogKey(chatId: string): string {
  return `change:${chatId}`;
}

export type ChangeDraft = Pick<
  ChangeDoc,
  'kind' | 'messageId' | 'messageSeq' | 'actorId' | 'content' | 'emoji' | 'added'
>;

const MAX_ATTEMPTS = 50;

/**
 * A chat's change order (change-model.ts): each change is inserted at the position after the
 * last stored one, against the `_id` index, so positions stay 1..n whatever races or crashes;
 * the log is marked pending before and after, like a message, so the relay publishes it.
 */
export class ChangeLog {
  readonly ends: LogEnds<ChangeDoc>;
  private readonly lanes = new KeyedLane();

  constructor(
    private readonly store: Store,
    private readonly pending: PendingLogs,
    private readonly outbox: OutboxWake,
  ) {
    this.ends = new LogEnds(store.relayHeads, {
      headKey: changeLogKey,
      lookup: (chatId, n) => this.lookup(chatId, n),
    });
  }

  async append(chatId: string, draft: ChangeDraft): Promise<ChangeDoc> {
    const log = changeLogKey(chatId);
    await this.pending.mark(log);
    const change = await this.lanes.run(chatId, () => this.storeNext(chatId, draft));
    await this.pending.mark(log);
    this.outbox.nudge();
    return change;
  }

  async lastChangeSeq(chatId: string): Promise<number> {
    return (await this.ends.find(chatId)).position;
  }

  /**
   * The changes after position `after`, at most `limit`, in order: one `_id` range, cut at the
   * first position not stored yet (a later one may be seen stored before it).
   */
  async after(chatId: string, after: number, limit: number): Promise<ChangeDoc[]> {
    const found = await findByKeyRange(
      this.store.changes,
      positionKey(chatId, after + 1),
      positionKey(chatId, after + limit + 1),
    );
    const gap = found.findIndex((change, i) => change.changeSeq !== after + 1 + i);
    return gap === -1 ? found : found.slice(0, gap);
  }

  private async storeNext(chatId: string, draft: ChangeDraft): Promise<ChangeDoc> {
    let end = this.ends.remembered(chatId)?.position ?? (await this.lastChangeSeq(chatId));
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      const changeSeq = end + 1;
      const change: ChangeDoc = {
        ...draft,
        _id: positionKey(chatId, changeSeq),
        chatId,
        changeSeq,
        at: new Date(),
        eventId: randomUUID(),
        traceparent: currentTraceparent(),
      };
      try {
        await this.store.changes.create(change);
        this.ends.note(chatId, changeSeq, change);
        return change;
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
      end = (await findLogEnd((n) => this.lookup(chatId, n), changeSeq)).position;
      this.ends.note(chatId, end);
    }
    throw problems.unavailable('The chat is busy; retry.');
  }

  private lookup(chatId: string, n: number): Promise<ChangeDoc | null> {
    return this.store.changes.findById(positionKey(chatId, n)).lean<ChangeDoc>().exec();
  }
}
