import {
  parseEvent,
  type MessageChangedData,
  type MessageSentData,
  type Message,
} from '@messenger/contracts';
import {
  idempotentPg,
  type EventHandler,
  type Logger,
  type Pool,
  type PoolClient,
} from '@messenger/platform';
import { lockChat, setMembers } from './membership-store.js';
import { removeMessage, storeMessage } from './message-index-store.js';

const PROJECTED = new Set(['message.sent', 'message.edited', 'message.deleted', 'message.reacted']);

/**
 * The chat's members after the event of `message.sent`: its recipients are the members when it
 * was relayed, and the one a system message says left or was removed hears of it too but is no
 * longer a member.
 */
function membersAfter({ message, recipientIds }: MessageSentData): string[] {
  const system = message.system;
  if (system && (system.event === 'left' || system.event === 'removed')) {
    return recipientIds.filter((id) => id !== system.subjectId);
  }
  return recipientIds;
}

const isSearchable = (message: Message) =>
  message.type === 'user' && !message.deleted && (message.content ?? '').trim() !== '';

async function applySent(client: PoolClient, data: MessageSentData): Promise<void> {
  const { message } = data;
  const membersSeq = await lockChat(client, message.chatId);
  if (message.seq > membersSeq) {
    await setMembers(client, message.chatId, membersAfter(data), message.seq);
  }
  if (isSearchable(message)) await storeMessage(client, message, 0, {});
}

/** An edit, a delete or a reaction: the message after it, at its place in the change order. */
async function applyChange(
  client: PoolClient,
  { message, changeSeq, reactors }: MessageChangedData,
) {
  await lockChat(client, message.chatId);
  if (message.deleted) await removeMessage(client, message);
  else if (message.type === 'user') await storeMessage(client, message, changeSeq, reactors);
}

/**
 * Keeps the search projection of the message topic: each event once (its id is recorded with
 * its writes), one chat's events one at a time under the chat's row lock.
 */
export function messageEventsHandler(pool: Pool, logger: Logger): EventHandler {
  const apply = idempotentPg(pool, 'search.messages', async (envelope, client) => {
    const event = parseEvent(envelope);
    switch (event?.type) {
      case 'message.sent':
        return applySent(client, event.data);
      case 'message.edited':
      case 'message.deleted':
      case 'message.reacted':
        return applyChange(client, event.data);
      default:
        logger.warn({ eventId: envelope.id, type: envelope.type }, 'skipping an unreadable event');
    }
  });
  return (envelope) => (PROJECTED.has(envelope.type) ? apply(envelope) : Promise.resolve());
}
