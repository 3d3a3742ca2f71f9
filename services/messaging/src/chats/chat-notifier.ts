import type { Logger } from '@messenger/platform';
import { userRoom, type MessagingServer } from '../socket-types.js';
import type { ChatDoc } from '../store/chat-model.js';
import type { ChatReader } from './chat-reader.js';

/**
 * Pushes `chat:updated` to each current member, as that member sees the chat. A hint for open
 * clients, not a durable event: the chat list and history are the source of truth.
 */
export class ChatNotifier {
  constructor(
    private readonly chatReader: ChatReader,
    private readonly io: MessagingServer,
    private readonly logger: Logger,
  ) {}

  changed(chat: ChatDoc): void {
    void this.push(chat).catch((error: unknown) => {
      this.logger.warn({ err: error, chatId: chat._id }, 'chat:updated not pushed');
    });
  }

  private async push(chat: ChatDoc): Promise<void> {
    for (const { userId, view } of await this.chatReader.forMembers(chat))
      this.io.to(userRoom(userId)).emit('chat:updated', view);
  }
}
