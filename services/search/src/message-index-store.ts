import type { Message } from '@messenger/contracts';
import type { PoolClient } from '@messenger/platform';

/**
 * Stores `message` as of change `changeSeq` (0 as sent) unless a newer state is stored or the
 * message was deleted: a replayed or late event cannot bring back older words.
 */
export async function storeMessage(
  client: PoolClient,
  message: Message,
  changeSeq: number,
  reactors: Record<string, string[]>,
): Promise<void> {
  await client.query(
    `INSERT INTO messages (message_id, chat_id, seq, created_at, change_seq, message, reactors)
     SELECT $1, $2, $3, $4, $5, $6, $7
     WHERE NOT EXISTS (SELECT 1 FROM deleted_messages WHERE message_id = $1)
     ON CONFLICT (message_id) DO UPDATE SET change_seq = EXCLUDED.change_seq,
       message = EXCLUDED.message, reactors = EXCLUDED.reactors
     WHERE messages.change_seq < EXCLUDED.change_seq`,
    [message.id, message.chatId, message.seq, message.createdAt, changeSeq, message, reactors],
  );
}

/** Takes the message out of the index for good (deleted for everyone). */
export async function removeMessage(client: PoolClient, message: Message): Promise<void> {
  await client.query(
    'INSERT INTO deleted_messages (message_id, chat_id) VALUES ($1, $2) ON CONFLICT DO NOTHING',
    [message.id, message.chatId],
  );
  await client.query('DELETE FROM messages WHERE message_id = $1', [message.id]);
}
