import {
  Counter,
  PollingLoop,
  publishEvents,
  type Logger,
  type OutgoingEvent,
  type Producer,
  type Registry,
} from '@messenger/platform';
import { topicOf, type MessageSentData } from '@messenger/contracts';
import { recordInSummary } from '../chats/chat-summary.js';
import { messageView } from '../chats/chat-view.js';
import type { ChatDoc } from '../store/chat-model.js';
import { messageKey, type MessageDoc } from '../store/message-model.js';
import type { Store } from '../store/store.js';
import type { PendingChats } from './pending-chats.js';
import { RelayLease } from './relay-lease.js';

const CHATS_PER_STEP = 50;
const MESSAGES_PER_CHAT = 100;
const LOOKUPS_AT_ONCE = 10;
const SWEEP_INTERVAL_MS = 5 * 60_000;

export interface MessageRelayOptions {
  store: Store;
  pending: PendingChats;
  producer: Producer;
  logger: Logger;
  registry: Registry;
}

/**
 * Relays `message.sent` from the messages themselves: a chat's messages are an append-only log
 * with seqs 1..n, so the stored message is its own outbox record and the chat keeps how far it
 * was relayed (`relayedSeq`). Each step publishes, in seq order, the messages after that mark of
 * the chats marked pending, then moves the mark. No write per message, and no query that grows
 * with the number of messages (FerretDB, the local Mongo, scans the whole collection for any
 * filtered update, which made clearing an embedded outbox entry cost O(all messages)). A crash
 * between publishing and moving the mark republishes with the same event id (the message id),
 * which the delivery consumer absorbs. One instance relays at a time (a lease); a sweep when it
 * takes the lease, and every few minutes, re-marks chats whose summary is ahead of their mark.
 * The relay also repairs a chat summary left behind by a sender that died after its insert.
 */
export class MessageRelay {
  private readonly loop: PollingLoop;
  private readonly lease: RelayLease;
  private readonly relayed: Counter;
  private sweptAt = 0;
  private stepping = false;
  private wokenDuringStep = false;

  constructor(private readonly options: MessageRelayOptions) {
    this.lease = new RelayLease(options.store.chats.db, 'messaging-messages');
    this.loop = new PollingLoop({
      name: 'messaging-message-relay',
      intervalMs: 100,
      logger: options.logger,
      step: () => this.step(),
    });
    this.relayed = new Counter({
      name: 'messaging_relayed_messages_total',
      help: 'message.sent events relayed to Kafka from stored messages',
      registers: [options.registry],
    });
  }

  start(): void {
    this.loop.start();
  }

  /** A wake during a step is kept: the loop goes again at once instead of after its interval. */
  wake(): void {
    if (this.stepping) this.wokenDuringStep = true;
    this.loop.wake();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
    await this.lease.release().catch(() => undefined);
  }

  /** One round; true when more work is waiting. */
  async step(): Promise<boolean> {
    this.stepping = true;
    this.wokenDuringStep = false;
    try {
      return (await this.relayPending()) || this.wokenDuringStep;
    } finally {
      this.stepping = false;
    }
  }

  private async relayPending(): Promise<boolean> {
    if (!(await this.lease.hold())) {
      this.sweptAt = 0;
      return false;
    }
    if (Date.now() - this.sweptAt > SWEEP_INTERVAL_MS) await this.sweep();
    const chatIds = await this.options.pending.take(CHATS_PER_STEP);
    let more = chatIds.length === CHATS_PER_STEP;
    for (const [index, chatId] of chatIds.entries()) {
      try {
        more = (await this.relayChat(chatId)) || more;
      } catch (error) {
        await this.options.pending.markAll(chatIds.slice(index));
        throw error;
      }
    }
    return more;
  }

  /** Publishes the chat's unrelayed messages (up to a batch); true when more are left. */
  private async relayChat(chatId: string): Promise<boolean> {
    const { store } = this.options;
    const chat = await store.chats
      .findById(chatId, { relayedSeq: 1, memberIds: 1, lastSeq: 1 })
      .lean<Pick<ChatDoc, 'relayedSeq' | 'memberIds' | 'lastSeq'>>();
    if (!chat) return false;
    const docs = await this.unrelayed(chatId, (chat.relayedSeq ?? 0) + 1);
    const last = docs.at(-1);
    if (!last) return false;
    await publishEvents(
      this.options.producer,
      docs.map((doc) => messageSentEvent(doc, chat.memberIds)),
    );
    await store.chats.updateOne({ _id: chatId }, { $max: { relayedSeq: last.seq } });
    if (chat.lastSeq < last.seq) await recordInSummary(store, messageView(last));
    this.relayed.inc(docs.length);
    if (docs.length < MESSAGES_PER_CHAT) return false;
    await this.options.pending.mark(chatId);
    return true;
  }

  /** The stored messages from seq `from` on, up to the first seq not stored yet. */
  private async unrelayed(chatId: string, from: number): Promise<MessageDoc[]> {
    const found: MessageDoc[] = [];
    while (found.length < MESSAGES_PER_CHAT) {
      const seqs = Array.from({ length: LOOKUPS_AT_ONCE }, (_, i) => from + found.length + i);
      const docs = await Promise.all(
        seqs.map((seq) =>
          this.options.store.messages.findById(messageKey(chatId, seq)).lean<MessageDoc>(),
        ),
      );
      const gap = docs.findIndex((doc) => doc === null);
      found.push(...(docs.slice(0, gap === -1 ? docs.length : gap) as MessageDoc[]));
      if (gap !== -1) break;
    }
    return found.slice(0, MESSAGES_PER_CHAT);
  }

  private async sweep(): Promise<void> {
    const chats = await this.options.store.chats
      .find({}, { lastSeq: 1, relayedSeq: 1 })
      .lean<Pick<ChatDoc, '_id' | 'lastSeq' | 'relayedSeq'>[]>();
    await this.options.pending.markAll(
      chats.filter((chat) => chat.lastSeq > (chat.relayedSeq ?? 0)).map((chat) => chat._id),
    );
    this.sweptAt = Date.now();
  }
}

function messageSentEvent(doc: MessageDoc, recipientIds: string[]): OutgoingEvent {
  const message = messageView(doc);
  const data: MessageSentData = { message, recipientIds };
  return {
    topic: topicOf('message.sent').name,
    key: doc.chatId,
    envelope: {
      id: doc.id,
      type: 'message.sent',
      version: 1,
      occurredAt: message.createdAt,
      producer: 'messaging',
      traceparent: doc.traceparent,
      data,
    },
  };
}
