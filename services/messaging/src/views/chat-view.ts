import type { Chat } from '@messenger/contracts';
import type { ChatDoc } from '../store/chat-model.js';
import type { MemberDoc } from '../store/member-model.js';
import type { MessageDoc } from '../store/message-model.js';
import { messageView } from './message-view.js';

/** A chat as one member sees it: unread is the chat's last seq minus that member's read mark. */
export function chatView(
  chat: ChatDoc,
  members: MemberDoc[],
  lastMessage: MessageDoc | null,
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
    lastMessage: lastMessage ? messageView(lastMessage) : null,
    unreadCount: Math.max(0, lastSeq - readUpToSeq),
    lastSeq,
  };
}
