import type { Logger } from '@messenger/platform';
import { userRoom, type MessagingServer } from '../realtime/socket-types.js';
import type { ChatDoc } from '../store/chat-model.js';
import type { Store } from '../store/store.js';
import { chatViewFor } from './chat-views.js';

/**
 * Pushes `chat:updated` to each given user, as that user sees the chat. A hint for open clients,
 * not a durable event: the chat list and history are the source of truth.
 */
export class ChatNotifier {
  constructor(
    private readonly store: Store,
    private readonly io: MessagingServer,
    private readonly logger: Logger,
  ) {}

  changed(chat: ChatDoc, audience: string[]): void {
    void this.push(chat, audience).catch((error: unknown) => {
      this.logger.warn({ err: error, chatId: chat._id }, 'chat:updated not pushed');
    });
  }

  private async push(chat: ChatDoc, audience: string[]): Promise<void> {
    await Promise.all(
      audience.map(async (userId) => {
        const view = await chatViewFor(this.store, userId, chat);
        this.io.to(userRoom(userId)).emit('chat:updated', view);
      }),
    );
  }
}
