import type { Chat, Message } from '@messenger/contracts';
import type { ChatDoc } from '../store/chat-model.js';
import type { MemberDoc } from '../store/member-model.js';

/**
 * A chat as one member sees it: its last message as that member reads it (MessageReader), and
 * unread the chat's last seq minus that member's read mark.
 */
export function chatView(
  chat: ChatDoc,
  members: MemberDoc[],
  lastMessage: Message | null,
  readUpToSeq: number,
): Chat {
  const lastSeq = lastMessage?.seq ?? 0;
  return {
    id: chat._id,
    type: chat.type,
    name: chat.name,
    avatarUrl: chat.avatarUrl ?? null,
    members: members.map(({ userId, role }) => ({ userId, role })),
    createdAt: chat.createdAt.toISOString(),
    lastMessage,
    unreadCount: Math.max(0, lastSeq - readUpToSeq),
    lastSeq,
  };
}
