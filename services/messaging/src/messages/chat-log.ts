import { findByKeyRange, type Store } from '../store/store.js';
import { LogEnds } from '../store/log-ends.js';
import { messageKey, type MessageDoc } from '../store/message-model.js';

/** The relay head (and pending-relay key) of a chat's messages. */
export function messageLogKey(chatId: string): string {
  return `message:${chatId}`;
}

export interface SeqBounds {
  afterSeq?: number | undefined;
  beforeSeq?: number | undefined;
}

/**
 * A chat's messages as a log with seqs 1..n: its end is found by key probes from the relay's
 * head, and any range of it is one `_id` range, so nothing here costs more as the chat or the
 * collection grows.
 */
export class ChatLog {
  readonly ends: LogEnds<MessageDoc>;

  constructor(private readonly store: Store) {
    this.ends = new LogEnds(store.relayHeads, {
      headKey: messageLogKey,
      lookup: (chatId, seq) => store.messages.findById(messageKey(chatId, seq)).lean<MessageDoc>(),
    });
  }

  async lastSeq(chatId: string): Promise<number> {
    return (await this.ends.find(chatId)).position;
  }

  async lastMessage(chatId: string): Promise<MessageDoc | null> {
    return (await this.ends.last(chatId)).record;
  }

  /** Messages with afterSeq < seq < beforeSeq: the first `limit` of them, or the last. */
  async between(
    chatId: string,
    bounds: SeqBounds,
    limit: number,
    end: 'first' | 'last',
  ): Promise<MessageDoc[]> {
    const lastSeq = await this.lastSeq(chatId);
    const low = (bounds.afterSeq ?? 0) + 1;
    const high = Math.min(lastSeq, (bounds.beforeSeq ?? Number.MAX_SAFE_INTEGER) - 1);
    if (high < low || limit <= 0) return [];
    const from = end === 'first' ? low : Math.max(low, high - limit + 1);
    const to = end === 'first' ? Math.min(high, low + limit - 1) : high;
    // One `_id` range (the keys sort as the seqs do), not a lookup per seq.
    return findByKeyRange(
      this.store.messages,
      messageKey(chatId, from),
      messageKey(chatId, to + 1),
    );
  }
}
