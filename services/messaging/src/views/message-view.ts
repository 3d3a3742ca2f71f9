import type { Message } from '@messenger/contracts';
import type { MessageDoc } from '../store/message-model.js';

/** A stored message as the API shows it. */
export function messageView(doc: MessageDoc): Message {
  const message: Message = {
    id: doc.id,
    chatId: doc.chatId,
    seq: doc.seq,
    type: doc.type,
    senderId: doc.senderId,
    clientMsgId: doc.clientMsgId,
    content: doc.content,
    mediaUrl: doc.mediaUrl ?? null,
    createdAt: doc.createdAt.toISOString(),
  };
  if (doc.system) message.system = doc.system;
  return message;
}
