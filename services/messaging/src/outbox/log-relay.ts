import { createHash } from 'node:crypto';
import {
  Counter,
  createEnvelope,
  isDuplicateKeyError,
  PollingLoop,
  publishEvents,
  type Logger,
  type OutgoingEvent,
  type Producer,
  type Registry,
} from '@messenger/platform';
import {
  topicOf,
  type EventData,
  type EventType,
  type MessageChangedData,
  type MessageSeenData,
  type MessageSentData,
  type Message,
} from '@messenger/contracts';
import { messageView } from '../views/message-view.js';
import { repair } from '../store/change-writes.js';
import type { ChangeDoc } from '../store/change-model.js';
import { summarize, type MessageReader, type Reactors } from '../views/message-reader.js';
import type { ChatMembers } from '../access/chat-members.js';
import { positionKey } from '../store/log-position.js';
import type { MarkDoc } from '../store/mark-model.js';
import { messageKey, type MessageDoc } from '../store/message-model.js';
import type { RelayHeadDoc } from '../store/relay-head-model.js';
import type { Store } from '../store/store.js';
import type { PendingLogs } from './pending-logs.js';
import { RelayLease } from './relay-lease.js';

const LOGS_PER_STEP = 50;
const RECORDS_PER_LOG = 100;
const MAX_LOOKUPS_AT_ONCE = 8;
const REMEMBERED_HEADS = 20_000;
/** Moved heads are saved together at most this often, not one write per relayed record. */
const HEAD_SAVE_MS = 2000;

export interface LogRelayOptions {
  store: Store;
  members: ChatMembers;
  pending: PendingLogs;
  producer: Producer;
  logger: Logger;
  registry: Registry;
  reader: MessageReader;
}

type LogType = 'message' | 'mark' | 'change';

interface Relayable {
  position: number;
  at: Date;
  upToSeq: number | null;
  /** None for a record that is relayed without an event (an unannounced mark). */
  events: OutgoingEvent[];
}

interface LogBatch {
  log: string;
  type: LogType;
  last: Relayable;
  events: OutgoingEvent[];
  /** A whole batch was read, so more may be stored after it. */
  full: boolean;
}

/**
 * Relays the append-only logs to Kafka: a chat's messages as `message.sent` (a rename or a role
 * change also as `chat.renamed` / `chat.member_role_changed`), a member's mark advances as
 * `message.seen`, a chat's changes as `message.edited`, `message.deleted` or `message.reacted`,
 * after finishing any change its writer did not write into its message. Each record is its own outbox entry, a log's positions are 1..n,
 * and the log's relay head says how far it went: a step reads, by key, the records after the
 * head of each pending log, publishes them in order and moves the head. Recipients are the
 * chat's members when the record is relayed, so a member removed before a message was stored
 * never gets it live. Moved heads are saved together every HEAD_SAVE_MS, so a relay that dies
 * republishes up to that much, with the same event ids, which the delivery consumer absorbs.
 * One instance relays at a time (a lease); the relay's correctness does not rest on that, only
 * its efficiency and per-chat publish order.
 */
export class LogRelay {
  private readonly loop: PollingLoop;
  private readonly lease: RelayLease;
  private readonly relayed: Counter<'type'>;
  /** Heads this relay moved, while it holds the lease (it is their one writer then). */
  private readonly heads = new Map<string, number>();
  /** Heads moved since they were last saved. */
  private readonly unsaved = new Map<string, Relayable>();
  private savedAt = 0;
  private holding = false;

  constructor(private readonly options: LogRelayOptions) {
    this.lease = new RelayLease(options.store.relayHeads.db, 'messaging-logs');
    // Woken on every write (outbox-wake.ts); the interval only bounds a missed wake.
    this.loop = new PollingLoop({
      name: 'messaging-log-relay',
      intervalMs: 1000,
      logger: options.logger,
      step: () => this.relayPending(),
    });
    this.relayed = new Counter({
      name: 'messaging_relayed_events_total',
      help: 'Events relayed to Kafka from stored messages and marks',
      labelNames: ['type'] as const,
      registers: [options.registry],
    });
  }

  start(): void {
    this.loop.start();
  }

  wake(): void {
    this.loop.wake();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
    await this.saveHeads().catch((error: unknown) => {
      this.options.logger.warn({ err: error }, 'relay heads not saved; their records go out again');
    });
    await this.lease.release().catch(() => undefined);
  }

  /** One round; true when more work is waiting. */
  private async relayPending(): Promise<boolean> {
    const held = await this.lease.hold();
    // A new holder takes back what a holder that died had taken and not finished.
    if (held && !this.holding) {
      this.heads.clear();
      this.unsaved.clear();
      await this.options.pending.restoreTaken();
    }
    this.holding = held;
    if (!held) return false;
    if (Date.now() - this.savedAt >= HEAD_SAVE_MS) await this.saveHeads();
    const logs = await this.options.pending.take(LOGS_PER_STEP);
    if (logs.length === 0) return false;
    try {
      // Every taken log is read at once and published in one batch: a step costs one Kafka
      // round trip, not one per chat. A chat's records keep their order in the batch.
      const batches = (await Promise.all(logs.map((log) => this.readLog(log)))).filter(
        (batch) => batch !== null,
      );
      const events = batches.flatMap((batch) => batch.events);
      if (events.length > 0) await publishEvents(this.options.producer, events);
      for (const batch of batches) this.moveHead(batch.log, batch.last);
      for (const batch of batches) this.relayed.inc({ type: batch.type }, batch.events.length);
      const unfinished = batches.filter((batch) => batch.full).map((batch) => batch.log);
      await this.options.pending.mark(...unfinished);
      await this.options.pending.done(...logs);
      return logs.length === LOGS_PER_STEP || unfinished.length > 0;
    } catch (error) {
      await this.options.pending.mark(...logs);
      await this.options.pending.done(...logs);
      throw error;
    }
  }

  /** A log's unrelayed records (up to a batch) as events, or null when it has none. */
  private async readLog(log: string): Promise<LogBatch | null> {
    const { store } = this.options;
    const parsed = parseLogKey(log);
    if (!parsed) return null;
    const from = (await this.headOf(log)) + 1;
    const docs = await unrelayed((p) => {
      if (parsed.type === 'message') return store.messages.findById(messageKey(parsed.chatId, p));
      if (parsed.type === 'change') return store.changes.findById(positionKey(parsed.chatId, p));
      return store.marks.findById(positionKey(parsed.log, p));
    }, from);
    if (docs.length === 0) return null;
    // Members are read after the records: a record stored after a removal was stored after the
    // member's delete (and the version change), so this read sees the member gone.
    const members = await this.options.members.idsOf(parsed.chatId);
    let records: Relayable[];
    if (parsed.type === 'message')
      records = await this.messageRecords(docs as MessageDoc[], members);
    else if (parsed.type === 'change')
      records = await this.changeRecords(docs as ChangeDoc[], members);
    else records = docs.map((doc) => markRecord(doc as MarkDoc, members));
    const last = records.at(-1);
    if (!last) return null;
    return {
      log,
      type: parsed.type,
      last,
      events: records.flatMap((record) => record.events),
      full: records.length === RECORDS_PER_LOG,
    };
  }

  private async messageRecords(docs: MessageDoc[], members: string[]): Promise<Relayable[]> {
    const { reader } = this.options;
    const views = await reader.withQuotes(
      await reader.withAttachments(docs.map(messageView), docs),
    );
    return docs.map((doc, i) => messageRecord(doc, views[i] ?? messageView(doc), members));
  }

  /** One at a time, in order: each first finishes its change in the message if need be. */
  private async changeRecords(changes: ChangeDoc[], members: string[]): Promise<Relayable[]> {
    const { store, reader } = this.options;
    const records: Relayable[] = [];
    for (const change of changes) {
      const key = messageKey(change.chatId, change.messageSeq);
      let doc = await store.messages.findById(key).lean<MessageDoc>();
      if (doc && (await repair(store, doc, change)))
        doc = await store.messages.findById(key).lean<MessageDoc>();
      if (!doc) continue;
      const [view, stored] = await Promise.all([reader.view(null, doc), reader.reactorsOf(doc)]);
      // The reaction's writer inserts (or deletes) it after this record, maybe after this read:
      // the update shows the reaction as its change says, so the last one heard is never stale.
      const reactors = change.kind === 'reacted' ? asChanged(stored, change) : stored;
      const message =
        change.kind === 'reacted' && !view.deleted
          ? { ...view, reactions: summarize(reactors, null) }
          : view;
      records.push(
        changeRecord(change, {
          message,
          changeSeq: change.changeSeq,
          recipientIds: members,
          reactors,
        }),
      );
    }
    return records;
  }

  private async headOf(log: string): Promise<number> {
    const remembered = this.heads.get(log) ?? this.unsaved.get(log)?.position;
    if (remembered !== undefined) return remembered;
    const head = await this.options.store.relayHeads.findById(log).lean<RelayHeadDoc>();
    return head?.relayed ?? 0;
  }

  private moveHead(log: string, last: Relayable): void {
    this.heads.delete(log);
    this.heads.set(log, last.position);
    if (this.heads.size > REMEMBERED_HEADS) {
      const oldest = this.heads.keys().next();
      if (!oldest.done) this.heads.delete(oldest.value);
    }
    this.unsaved.set(log, last);
  }

  /** Writes the moved heads, each only forward: a head already at or past it stays. */
  private async saveHeads(): Promise<void> {
    this.savedAt = Date.now();
    const moved = [...this.unsaved];
    this.unsaved.clear();
    try {
      await Promise.all(moved.map(([log, last]) => this.saveHead(log, last)));
    } catch (error) {
      for (const [log, last] of moved) {
        if ((this.unsaved.get(log)?.position ?? 0) < last.position) this.unsaved.set(log, last);
      }
      throw error;
    }
  }

  private async saveHead(log: string, last: Relayable): Promise<void> {
    try {
      await this.options.store.relayHeads.updateOne(
        { _id: log, relayed: { $lt: last.position } },
        { $set: { relayed: last.position, at: last.at, upToSeq: last.upToSeq } },
        { upsert: true },
      );
    } catch (error) {
      // The upsert found the head already further on.
      if (!isDuplicateKeyError(error)) throw error;
    }
  }
}

/**
 * `message:<chatId>`, `change:<chatId>` or `mark:<chatId>:<userId>:<kind>` (see chat-log.ts,
 * change-log.ts and marks.ts).
 */
function parseLogKey(key: string): { type: LogType; chatId: string; log: string } | null {
  const [type, ...rest] = key.split(':');
  const chatId = rest[0];
  if ((type !== 'message' && type !== 'mark' && type !== 'change') || !chatId) return null;
  return { type, chatId, log: rest.join(':') };
}

/** An event of a stored record, its data typed by its type, with the record's id, time and trace. */
function event<T extends EventType>(
  type: T,
  id: string,
  key: string,
  occurredAt: string,
  traceparent: string | null,
  data: EventData<T>,
): OutgoingEvent {
  return {
    topic: topicOf(type).name,
    key,
    envelope: createEnvelope('messaging', { type, key, data, id, occurredAt, traceparent }),
  };
}

/**
 * The id of an event derived from a record's own id, so a republished record carries the same
 * event id (a UUID of version 8, from a hash).
 */
function derivedId(recordId: string, type: EventType): string {
  const hex = createHash('sha256').update(`${type}:${recordId}`).digest('hex');
  const variant = ((Number.parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Who reacted with what once `change` (a reaction added or taken back) is in place. */
function asChanged(stored: Reactors, change: ChangeDoc): Reactors {
  const { emoji, actorId } = change;
  if (!emoji) return stored;
  const others = (stored[emoji] ?? []).filter((userId) => userId !== actorId);
  const users = change.added ? [...others, actorId] : others;
  return Object.fromEntries([
    ...Object.entries(stored).filter(([other]) => other !== emoji),
    ...(users.length > 0 ? [[emoji, users] as const] : []),
  ]);
}

const changeEvents = {
  edited: 'message.edited',
  deleted: 'message.deleted',
  reacted: 'message.reacted',
} as const;

function changeRecord(change: ChangeDoc, data: MessageChangedData): Relayable {
  const type = changeEvents[change.kind];
  const payload =
    change.kind === 'reacted'
      ? { ...data, userId: change.actorId, emoji: change.emoji, added: change.added }
      : data;
  return {
    position: change.changeSeq,
    at: change.at,
    upToSeq: null,
    events: [
      event(
        type,
        change.eventId,
        change.chatId,
        change.at.toISOString(),
        change.traceparent,
        payload,
      ),
    ],
  };
}

/**
 * The stored records from position `from` on, up to the first position not stored yet. Read in
 * parallel batches that double while they come back full (2, 4, 8 lookups), so the usual step,
 * one new record, costs one round trip of two lookups. A later position may be seen stored while an earlier
 * one, written just before it, was not yet: a batch is cut at its first missing position, never
 * skipped past it.
 */
async function unrelayed(
  lookup: (position: number) => { lean: () => PromiseLike<unknown> },
  from: number,
): Promise<unknown[]> {
  const found: unknown[] = [];
  let width = 2;
  while (found.length < RECORDS_PER_LOG) {
    const start = from + found.length;
    const docs = await Promise.all(
      Array.from({ length: width }, (_, i) => lookup(start + i).lean()),
    );
    width = Math.min(width * 2, MAX_LOOKUPS_AT_ONCE);
    const gap = docs.findIndex((doc) => doc === null);
    found.push(...docs.slice(0, gap === -1 ? docs.length : gap));
    if (gap !== -1) break;
  }
  return found.slice(0, RECORDS_PER_LOG);
}

function messageRecord(doc: MessageDoc, message: Message, members: string[]): Relayable {
  const { system } = doc;
  // The member a system message says left or was removed hears of it too.
  const subject = system?.event === 'left' || system?.event === 'removed' ? [system.subjectId] : [];
  const data: MessageSentData = { message, recipientIds: [...new Set([...members, ...subject])] };
  const at = message.createdAt;
  const events = [event('message.sent', doc.id, doc.chatId, at, doc.traceparent, data)];
  if (system?.event === 'renamed') {
    const { actorId, name, avatarUrl } = system;
    const renamed = { chatId: doc.chatId, name, avatarUrl, actorId, seq: doc.seq };
    events.push(
      event(
        'chat.renamed',
        derivedId(doc.id, 'chat.renamed'),
        doc.chatId,
        at,
        doc.traceparent,
        renamed,
      ),
    );
  } else if (system?.event === 'role_changed') {
    const { actorId, subjectId, role } = system;
    const changed = { chatId: doc.chatId, userId: subjectId, role, actorId, seq: doc.seq };
    const type = 'chat.member_role_changed';
    events.push(event(type, derivedId(doc.id, type), doc.chatId, at, doc.traceparent, changed));
  }
  return { position: doc.seq, at: doc.createdAt, upToSeq: null, events };
}

function markRecord(doc: MarkDoc, members: string[]): Relayable {
  const at = doc.at.toISOString();
  const data: MessageSeenData = {
    chatId: doc.chatId,
    userId: doc.userId,
    kind: doc.kind,
    upToSeq: doc.upToSeq,
    at,
    recipientIds: members.filter((id) => id !== doc.userId),
  };
  return {
    position: doc.n,
    at: doc.at,
    upToSeq: doc.upToSeq,
    events: doc.announce
      ? [event('message.seen', doc.eventId, doc.chatId, at, doc.traceparent, data)]
      : [],
  };
}
