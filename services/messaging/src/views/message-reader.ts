import type { Message, Reaction } from '@messenger/contracts';
import type { AttachmentLinks } from '../attachments/attachment-links.js';
import { hiddenKey, type HiddenDoc } from '../store/hidden-model.js';
import { messageKey, type MessageDoc } from '../store/message-model.js';
import type { ReactionDoc } from '../store/reaction-model.js';
import { findByKeyRange, findByKeys, type Store } from '../store/store.js';
import { messageView, tombstone } from './message-view.js';

/** A quoted message's snippet: its first characters as it reads now. */
const SNIPPET_LENGTH = 100;

/** Who reacted with each emoji to one message. */
export type Reactors = Record<string, string[]>;

/**
 * Messages as one reader sees them: the reactions (counts and whether the reader is among
 * them), each quoted message's snippet as it reads now, and the messages the reader deleted for
 * themselves shown as tombstones. Each of those is one `_id` range over the messages' seqs (or one
 * lookup per message when they are far apart), so a page costs the same however large the chat.
 */
export class MessageReader {
  constructor(
    private readonly store: Store,
    private readonly links: AttachmentLinks,
  ) {}

  /** The reader's views of `docs` (of one chat or several); `readerId` null: nobody's own. */
  async views(readerId: string | null, docs: MessageDoc[]): Promise<Message[]> {
    if (docs.length === 0) return [];
    const [reactions, hidden] = await Promise.all([
      this.reactionsOf(docs),
      readerId ? this.hiddenFor(readerId, docs) : Promise.resolve(new Set<string>()),
    ]);
    const views = docs.map((doc) => {
      const view = messageView(doc);
      if (hidden.has(doc._id)) return tombstone(view);
      return view.deleted
        ? view
        : { ...view, reactions: summarize(reactions.get(doc._id) ?? {}, readerId) };
    });
    return this.withQuotes(await this.withAttachments(views, docs));
  }

  async view(readerId: string | null, doc: MessageDoc): Promise<Message> {
    const [view] = await this.views(readerId, [doc]);
    if (!view) throw new Error('a view of the one message asked');
    return view;
  }

  /** One message as each of `readerIds` sees it (a chat's last message in its members' lists). */
  async viewsForEach(readerIds: string[], doc: MessageDoc): Promise<Message[]> {
    const [reactors, hidden, shown] = await Promise.all([
      this.reactorsOf(doc),
      findByKeys<HiddenDoc>(
        this.store.hidden,
        readerIds.map((readerId) => hiddenKey(readerId, doc._id)),
      ),
      this.withAttachments([messageView(doc)], [doc]).then((views) => this.withQuotes(views)),
    ]);
    const [view] = shown;
    if (!view) throw new Error('a view of the one message asked');
    const hiders = new Set(hidden.map((doc) => doc.userId));
    return readerIds.map((readerId) => {
      if (hiders.has(readerId)) return tombstone(view);
      return view.deleted ? view : { ...view, reactions: summarize(reactors, readerId) };
    });
  }

  /** Who reacted with what to one message (for the events that tell each member). */
  async reactorsOf(doc: MessageDoc): Promise<Reactors> {
    return (await this.reactionsOf([doc])).get(doc._id) ?? {};
  }

  /** Each view's files with freshly signed URLs (`docs[i]` stored `views[i]`); a tombstone has none. */
  withAttachments(views: Message[], docs: MessageDoc[]): Promise<Message[]> {
    return Promise.all(
      views.map(async (view, i) => {
        const stored = docs[i]?.attachments ?? [];
        if (view.deleted || stored.length === 0) return view;
        return { ...view, attachments: await this.links.of(view.chatId, stored) };
      }),
    );
  }

  /** The view with its files, its message read again by key. */
  async withAttachmentsOf(view: Message): Promise<Message> {
    const key = messageKey(view.chatId, view.seq);
    const doc = await this.store.messages.findById(key).lean<MessageDoc>();
    return doc ? ((await this.withAttachments([view], [doc]))[0] ?? view) : view;
  }

  async withQuote(view: Message): Promise<Message> {
    return (await this.withQuotes([view]))[0] ?? view;
  }

  /** Fills each reply's snippet from the quoted message as it reads now. */
  async withQuotes(views: Message[]): Promise<Message[]> {
    const keys = [
      ...new Set(views.flatMap((v) => (v.replyTo ? [messageKey(v.chatId, v.replyTo.seq)] : []))),
    ];
    if (keys.length === 0) return views;
    const quoted = new Map(
      (await findByKeys(this.store.messages, keys)).map((doc) => [doc._id, doc]),
    );
    return views.map((view) => {
      if (!view.replyTo) return view;
      const doc = quoted.get(messageKey(view.chatId, view.replyTo.seq));
      const deleted = !doc || doc.deleted === true;
      const snippet = deleted ? '' : Array.from(doc.content).slice(0, SNIPPET_LENGTH).join('');
      return { ...view, replyTo: { ...view.replyTo, snippet, deleted } };
    });
  }

  private async reactionsOf(docs: MessageDoc[]): Promise<Map<string, Reactors>> {
    const found = await this.byMessage(docs, (chatId, from, to) =>
      findByKeyRange<ReactionDoc>(
        this.store.reactions,
        `${messageKey(chatId, from)}:`,
        `${messageKey(chatId, to)};`,
      ),
    );
    const byMessage = new Map<string, Reactors>();
    for (const reaction of found) {
      const key = messageKey(reaction.chatId, reaction.messageSeq);
      const reactors = byMessage.get(key) ?? {};
      (reactors[reaction.emoji] ??= []).push(reaction.userId);
      byMessage.set(key, reactors);
    }
    return byMessage;
  }

  private async hiddenFor(readerId: string, docs: MessageDoc[]): Promise<Set<string>> {
    const found = await this.byMessage(docs, (chatId, from, to) =>
      findByKeyRange<HiddenDoc>(
        this.store.hidden,
        hiddenKey(readerId, messageKey(chatId, from)),
        `${hiddenKey(readerId, messageKey(chatId, to))};`,
      ),
    );
    return new Set(found.map((doc) => messageKey(doc.chatId, doc.messageSeq)));
  }

  /**
   * Reads documents keyed by (chat, message seq): one range per chat over the seqs asked, or one
   * range per message when the seqs are sparse (pins, a sync's changed messages).
   */
  private async byMessage<T>(
    docs: MessageDoc[],
    range: (chatId: string, from: number, to: number) => Promise<T[]>,
  ): Promise<T[]> {
    const seqsByChat = new Map<string, number[]>();
    for (const doc of docs)
      seqsByChat.set(doc.chatId, [...(seqsByChat.get(doc.chatId) ?? []), doc.seq]);
    const reads = [...seqsByChat].flatMap(([chatId, seqs]) => {
      const from = Math.min(...seqs);
      const to = Math.max(...seqs);
      return to - from + 1 <= 2 * seqs.length
        ? [range(chatId, from, to)]
        : seqs.map((seq) => range(chatId, seq, seq));
    });
    return (await Promise.all(reads)).flat();
  }
}

/** Counts per emoji, most used first, and whether the reader is among them. */
export function summarize(reactors: Reactors, readerId: string | null): Reaction[] {
  return Object.entries(reactors)
    .map(([emoji, userIds]) => ({
      emoji,
      count: userIds.length,
      me: readerId !== null && userIds.includes(readerId),
    }))
    .sort((a, b) => b.count - a.count || (a.emoji < b.emoji ? -1 : 1));
}
