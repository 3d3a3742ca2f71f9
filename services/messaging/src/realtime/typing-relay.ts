import type { ChatAccess } from '../access/chat-access.js';
import type { ChatMembers } from '../access/chat-members.js';
import { userRoom, type MessagingServer } from '../socket-types.js';
import { TypingThrottle } from './typing-throttle.js';

/**
 * Typing signals go socket to socket through the adapter, to the chat's other members only;
 * they are never stored and never reach Kafka.
 */
export class TypingRelay {
  constructor(
    private readonly access: ChatAccess,
    private readonly members: ChatMembers,
    private readonly io: MessagingServer,
  ) {}

  /** A relay function for one socket, with that socket's throttle. */
  forSocket(): (userId: string, chatId: string, typing: boolean) => Promise<void> {
    const throttle = new TypingThrottle();
    return async (userId, chatId, typing) => {
      await this.access.requireMember(chatId, userId);
      if (!throttle.shouldForward(chatId, typing)) return;
      const others = (await this.members.idsOf(chatId)).filter((id) => id !== userId);
      if (others.length === 0) return;
      this.io.to(others.map(userRoom)).emit('typing', { chatId, userId, typing });
    };
  }
}
