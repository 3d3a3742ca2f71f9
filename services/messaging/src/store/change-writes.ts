import type { ChangeDoc } from './change-model.js';
import type { MessageDoc } from './message-model.js';
import { pinKey } from './pin-model.js';
import type { Store } from './store.js';

/** Writes beyond this many racing edits are left to the relay's repair. */
const MAX_EDIT_WRITES = 10;

/**
 * Writes an edit into its message, then brings the message to the chat's last edit of it: racing
 * edits (on two instances) write in any order, so each writer reads the last edit after its write
 * and writes that one if it is newer. Every writer's final write follows a read that saw the last
 * edit stored before it, so the last write of all carries the last edit (on FerretDB, too, where
 * an update's read and write are not atomic). A delete stored before or during it wins: the edit
 * checks for one after its write and scrubs again, and the delete scrubs after its own insert, so
 * of the two writers at least one sees the other and the content never outlives the delete.
 */
export async function applyEdit(store: Store, message: MessageDoc, edit: ChangeDoc): Promise<void> {
  let latest = edit;
  for (let write = 0; write < MAX_EDIT_WRITES; write += 1) {
    await store.messages.updateOne(
      { _id: message._id },
      {
        $set: {
          content: latest.content ?? '',
          editedAt: latest.at,
          lastChangeSeq: latest.changeSeq,
        },
      },
    );
    const [deleted, newest] = await Promise.all([
      store.changes.exists({ messageId: message.id, kind: 'deleted' }),
      store.changes
        .findOne({ messageId: message.id, kind: 'edited' })
        .sort({ changeSeq: -1 })
        .lean<ChangeDoc>(),
    ]);
    if (deleted) return scrub(store, message);
    if (!newest || newest.changeSeq <= latest.changeSeq) return;
    latest = newest;
  }
}

/**
 * What a delete for everyone leaves of a message: a tombstone at its seq. The text goes from the
 * message and from its edits, the media from the message, and its pin from the chat.
 */
export async function scrub(store: Store, message: MessageDoc): Promise<void> {
  await store.messages.updateOne(
    { _id: message._id },
    { $set: { deleted: true, content: '', mediaUrl: null, attachments: [] } },
  );
  await Promise.all([
    store.changes.updateMany(
      { messageId: message.id, kind: 'edited' },
      { $set: { content: null } },
    ),
    store.pins.deleteOne({ _id: pinKey(message.chatId, message.id) }),
  ]);
}

/**
 * Brings a message up to one of its changes when the writer of the change did not get there (it
 * crashed between its insert and its write, or a racing edit wrote an older text after it); the
 * relay calls this for each change in order, so a message ends at its last change.
 */
export async function repair(
  store: Store,
  message: MessageDoc,
  change: ChangeDoc,
): Promise<boolean> {
  if (change.kind === 'deleted' && !message.deleted) {
    await scrub(store, message);
    return true;
  }
  if (
    change.kind === 'edited' &&
    !message.deleted &&
    (message.lastChangeSeq ?? 0) < change.changeSeq
  ) {
    await applyEdit(store, message, change);
    return true;
  }
  return false;
}
