import { isDuplicateKeyError, mongoOutboxEntry } from '@messenger/platform';
import type { MessageSeenData, ReceiptKind } from '@messenger/contracts';
import { requireMembership } from '../chats/chat-access.js';
import type { OutboxWake } from '../outbox/outbox-wake.js';
import { findByIds } from '../store/by-id.js';
import type { ChatDoc } from '../store/chat-model.js';
import { marksKey, type MarksDoc } from '../store/marks-model.js';
import type { Store } from '../store/store.js';

/**
 * Creates zero marks for new members before they join, so a mark advance always finds its
 * document. One member at a time: FerretDB v1 deadlocks on ~100 update statements in flight.
 */
export async function ensureMarks(store: Store, chatId: string, userIds: string[]): Promise<void> {
  const zero = { upToSeq: 0, at: null };
  for (const userId of userIds) {
    try {
      await store.marks.updateOne(
        { _id: marksKey(chatId, userId) },
        { $setOnInsert: { chatId, userId, delivered: zero, read: zero } },
        { upsert: true },
      );
    } catch (error) {
      // A racing upsert of the same member: the document exists, which is all this asks.
      if (!isDuplicateKeyError(error)) throw error;
    }
  }
}

/** One user's read mark in each of the given chats. */
export async function readMarksOf(
  store: Store,
  userId: string,
  chatIds: string[],
): Promise<Map<string, number>> {
  const keys = chatIds.map((chatId) => marksKey(chatId, userId));
  const docs = await findByIds(store.marks, keys);
  return new Map(docs.map((doc) => [doc.chatId, doc.read.upToSeq]));
}

/** The marks of the given members of one chat, by user id. */
export async function marksOfMembers(
  store: Store,
  chatId: string,
  userIds: string[],
): Promise<Map<string, MarksDoc>> {
  const keys = userIds.map((userId) => marksKey(chatId, userId));
  const docs = await findByIds(store.marks, keys);
  return new Map(docs.map((doc) => [doc.userId, doc]));
}

/** Delivered and read high-water marks: they only move forward, each move is a `message.seen`. */
export class MarkWriter {
  constructor(
    private readonly store: Store,
    private readonly outbox: OutboxWake,
  ) {}

  /** A member's own mark, capped at the chat's last seq. */
  async mark(userId: string, chatId: string, kind: ReceiptKind, upToSeq: number): Promise<void> {
    const chat = await requireMembership(this.store, chatId, userId);
    await this.advance(chat, userId, kind, Math.min(upToSeq, chat.lastSeq));
  }

  /**
   * Moves the mark up to `upToSeq` unless it is there already; true when it was written. The
   * write is `$max` on a bare `_id` with the event in the same document; two racing advances may
   * both announce themselves, which receipt readers absorb since marks only go up.
   */
  async advance(
    chat: ChatDoc,
    userId: string,
    kind: ReceiptKind,
    upToSeq: number,
  ): Promise<boolean> {
    const key = marksKey(chat._id, userId);
    const current = await this.store.marks.findById(key, { [kind]: 1 }).lean<MarksDoc>();
    if (upToSeq <= (current?.[kind].upToSeq ?? 0)) return false;
    if (!current) await ensureMarks(this.store, chat._id, [userId]);
    const at = new Date();
    const data: MessageSeenData = {
      chatId: chat._id,
      userId,
      kind,
      upToSeq,
      at: at.toISOString(),
      recipientIds: chat.memberIds.filter((id) => id !== userId),
    };
    await this.store.marks.updateOne(
      { _id: key },
      {
        $max: { [`${kind}.upToSeq`]: upToSeq, [`${kind}.at`]: at },
        $push: {
          outbox: mongoOutboxEntry('messaging', { type: 'message.seen', key: chat._id, data }),
        },
      },
    );
    this.outbox.nudge();
    return true;
  }
}
