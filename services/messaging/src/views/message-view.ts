import type { Message } from '@messenger/contracts';
import type { MessageDoc } from '../store/message-model.js';

/**
 * A stored message as the API shows it, before what depends on other documents: reactions
 * (none here), the quoted message's snippet (empty here) and the reader's own deletions; see
 * MessageReader for those. Fields a document stored before them lacks take their defaults.
 */
export function messageView(doc: MessageDoc): Message {
  const deleted = doc.deleted ?? false;
  const message: Message = {
    id: doc.id,
    chatId: doc.chatId,
    seq: doc.seq,
    type: doc.type,
    senderId: doc.senderId,
    clientMsgId: doc.clientMsgId,
    content: deleted ? null : doc.content,
    mediaUrl: deleted ? null : (doc.mediaUrl ?? null),
    createdAt: doc.createdAt.toISOString(),
    editedAt: doc.editedAt ? doc.editedAt.toISOString() : null,
    deleted,
    reactions: [],
    replyTo: doc.replyTo ? { ...doc.replyTo, snippet: '', deleted: false } : null,
    attachments: [],
  };
  if (doc.system) message.system = doc.system;
  return message;
}

/** The message as a tombstone: what a delete for everyone leaves, and a delete for oneself shows. */
export function tombstone(message: Message): Message {
  return {
    ...message,
    content: null,
    mediaUrl: null,
    deleted: true,
    attachments: [],
    reactions: [],
  };
}
