import type { Chat, Message } from '@messenger/contracts';
import type { ChatDoc } from '../store/chat-model.js';
import type { MessageDoc } from '../store/message-model.js';

/**
 * A chat as one member sees it. Unread is the chat's last seq minus what the member has read:
 * their read mark, or their own latest message if that is further on.
 */
export function chatView(
  chat: ChatDoc,
  userId: string,
  readUpToSeq: number,
  lastMessage: Message | null,
): Chat {
  const seen = Math.max(readUpToSeq, chat.sentUpTo?.[userId] ?? 0);
  const admins = new Set(chat.adminIds);
  return {
    id: chat._id,
    type: chat.type,
    name: chat.name,
    members: chat.memberIds.map((userId) => ({
      userId,
      role: admins.has(userId) ? 'admin' : 'member',
    })),
    createdAt: chat.createdAt.toISOString(),
    lastMessage,
    unreadCount: Math.max(0, chat.lastSeq - seen),
    lastSeq: chat.lastSeq,
  };
}

export function messageView(doc: MessageDoc): Message {
  return {
    id: doc.id,
    chatId: doc.chatId,
    seq: doc.seq,
    senderId: doc.senderId,
    clientMsgId: doc.clientMsgId,
    content: doc.content,
    mediaUrl: doc.mediaUrl ?? null,
    createdAt: doc.createdAt.toISOString(),
  };
}
