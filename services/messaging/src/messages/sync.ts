import type { Message, SyncAck, SyncCursor, SyncRequest } from '@messenger/contracts';
import type { ChangeLog } from '../changes/change-log.js';
import type { HideLog } from '../changes/hide-log.js';
import { memberKey } from '../store/member-model.js';
import { messageKey } from '../store/message-model.js';
import { findByKeys, type Store } from '../store/store.js';
import type { MessageReader } from '../views/message-reader.js';
import type { ChatLog } from './chat-log.js';

/** At most this many messages per chat and per request, and changes read per chat. */
export const SYNC_LIMIT_PER_CHAT = 200;
export const SYNC_LIMIT = 500;
export const SYNC_CHANGES_PER_CHAT = 500;
export const SYNC_HIDES_PER_CHAT = 500;

interface SyncDeps {
  store: Store;
  log: ChatLog;
  changes: ChangeLog;
  hides: HideLog;
  reader: MessageReader;
}

/**
 * What a device missed, bounded: per chat the messages after `afterSeq` (at most
 * SYNC_LIMIT_PER_CHAT, and SYNC_LIMIT in all, the first chats first), and, when the device says
 * where it stands in the chat's change order, the messages it already had that changed since, as
 * they are now, in the order of their last change. The change order's end is read before the
 * messages, so a change after it is after the cursor too, and a message read later already shows
 * every change before it. Likewise, from `afterHideSeq`, the messages the user deleted for
 * themselves since, as tombstones, last. Chats the user is not a member of are left out.
 */
export async function syncMessages(
  deps: SyncDeps,
  userId: string,
  chats: SyncRequest[],
): Promise<SyncAck> {
  const memberships = await findByKeys(
    deps.store.members,
    chats.map((c) => memberKey(c.chatId, userId)),
  );
  const allowed = new Set(memberships.map((member) => member.chatId));
  const requests = chats.filter((c) => allowed.has(c.chatId));
  const lastSeqs = await Promise.all(requests.map((c) => deps.log.lastSeq(c.chatId)));
  let budget = SYNC_LIMIT;
  const shares = requests.map((c, i) => {
    const share = Math.min(
      Math.max(0, (lastSeqs[i] ?? 0) - c.afterSeq),
      SYNC_LIMIT_PER_CHAT,
      budget,
    );
    budget -= share;
    return share;
  });
  const results = await Promise.all(
    requests.map((c, i) => syncChat(deps, userId, c, shares[i] ?? 0, lastSeqs[i] ?? 0)),
  );
  return {
    messages: results.flatMap((r) => r.messages),
    updated: results.flatMap((r) => r.updated),
    chats: results.map((r) => r.cursor),
  };
}

async function syncChat(
  deps: SyncDeps,
  userId: string,
  request: SyncRequest,
  share: number,
  lastSeq: number,
): Promise<{ messages: Message[]; updated: Message[]; cursor: SyncCursor }> {
  const { chatId, afterSeq, afterChangeSeq, afterHideSeq } = request;
  const [changes, hides] = await Promise.all([
    afterChangeSeq === undefined
      ? []
      : deps.changes.after(chatId, afterChangeSeq, SYNC_CHANGES_PER_CHAT),
    afterHideSeq === undefined
      ? []
      : deps.hides.after(userId, chatId, afterHideSeq, SYNC_HIDES_PER_CHAT),
  ]);
  const [changeSeq, hideSeq] = await Promise.all([
    afterChangeSeq === undefined
      ? deps.changes.lastChangeSeq(chatId)
      : (changes.at(-1)?.changeSeq ?? afterChangeSeq),
    afterHideSeq === undefined ? deps.hides.end(userId, chatId) : (hides.at(-1)?.n ?? afterHideSeq),
  ]);
  const docs = share > 0 ? await deps.log.between(chatId, { afterSeq }, share, 'first') : [];
  const messages = await deps.reader.views(userId, docs);
  // Each changed message once, at its last change; later messages come whole with `messages`.
  const lastChange = new Map<number, number>();
  for (const change of changes)
    if (change.messageSeq <= afterSeq) {
      lastChange.delete(change.messageSeq);
      lastChange.set(change.messageSeq, change.changeSeq);
    }
  // A message the user hid since is a tombstone for them, after every change (nothing undoes it).
  for (const hide of hides)
    if (hide.messageSeq <= afterSeq) {
      lastChange.delete(hide.messageSeq);
      lastChange.set(hide.messageSeq, Number.MAX_SAFE_INTEGER);
    }
  const changed = await findByKeys(
    deps.store.messages,
    [...lastChange.keys()].map((seq) => messageKey(chatId, seq)),
  );
  const updated = await deps.reader.views(userId, changed);
  const upToSeq = messages.at(-1)?.seq ?? afterSeq;
  const more =
    upToSeq < lastSeq ||
    changes.length === SYNC_CHANGES_PER_CHAT ||
    hides.length === SYNC_HIDES_PER_CHAT;
  return { messages, updated, cursor: { chatId, upToSeq, changeSeq, hideSeq, more } };
}
