import type { ChangeLog } from '../changes/change-log.js';
import type { HideLog } from '../changes/hide-log.js';
import type { ChatLog } from '../messages/chat-log.js';
import type { MarkWriter } from '../messages/marks.js';
import type { MessageSender } from '../messages/send-message.js';
import { syncMessages } from '../messages/sync.js';
import { deliveredPayload, socketSendPayload, syncPayload, typingPayload } from '../schemas.js';
import type { Store } from '../store/store.js';
import type { MessageReader } from '../views/message-reader.js';
import { ackHandlers, type AckOptions } from './acks.js';
import type { MessagingSocket } from '../socket-types.js';
import type { SyncGate } from './sync-gate.js';
import type { TypingRelay } from './typing-relay.js';

export interface HandlerDeps extends AckOptions {
  store: Store;
  log: ChatLog;
  changes: ChangeLog;
  hides: HideLog;
  reader: MessageReader;
  sender: MessageSender;
  marks: MarkWriter;
  typing: TypingRelay;
  syncGate: SyncGate;
}

/** The client → server events of docs/api.md, each answered through its ack. */
export function registerHandlers(socket: MessagingSocket, deps: HandlerDeps): void {
  const { userId } = socket.data.auth;
  const on = ackHandlers(socket, deps);
  const typing = deps.typing.forSocket();

  socket.on(
    'message:send',
    on(socketSendPayload, async ({ chatId, ...input }) => {
      const { message } = await deps.sender.send(userId, chatId, input, 'socket');
      return { message };
    }),
  );
  socket.on(
    'message:delivered',
    on(deliveredPayload, async ({ chatId, upToSeq }) => {
      await deps.marks.mark(userId, chatId, 'delivered', upToSeq);
      return { ok: true };
    }),
  );
  socket.on(
    'typing',
    on(typingPayload, async ({ chatId, typing: isTyping }) => {
      await typing(userId, chatId, isTyping);
      return { ok: true };
    }),
  );
  socket.on(
    'sync',
    on(syncPayload, ({ chats }) => deps.syncGate.run(() => syncMessages(deps, userId, chats))),
  );
}
