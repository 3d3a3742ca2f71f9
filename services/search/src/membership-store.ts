import type { PoolClient } from '@messenger/platform';

/**
 * Locks the chat's row (creating it first) for the rest of the transaction and returns the seq
 * its members were last set at: events of one chat are applied one at a time, in that order.
 */
export async function lockChat(client: PoolClient, chatId: string): Promise<number> {
  // DO UPDATE (to itself) locks an existing row as FOR UPDATE would, in the same round trip.
  const { rows } = await client.query<{ members_seq: string }>(
    `INSERT INTO chats (chat_id) VALUES ($1)
     ON CONFLICT (chat_id) DO UPDATE SET chat_id = EXCLUDED.chat_id
     RETURNING members_seq`,
    [chatId],
  );
  return Number(rows[0]?.members_seq ?? 0);
}

/**
 * Makes `memberIds` the chat's members as of `seq`: only the difference to the stored list is
 * written, so the usual message (nobody joined or left) costs one indexed read and the seq's
 * update. The seq moves even when the list does not: an older event applied after this one
 * (late or replayed) must find it newer, whatever members it carries.
 */
export async function setMembers(
  client: PoolClient,
  chatId: string,
  memberIds: readonly string[],
  seq: number,
): Promise<void> {
  const { rows } = await client.query<{ user_id: string }>(
    'SELECT user_id FROM chat_members WHERE chat_id = $1',
    [chatId],
  );
  const stored = new Set(rows.map((row) => row.user_id));
  const wanted = new Set(memberIds);
  const gone = [...stored].filter((id) => !wanted.has(id));
  const added = [...wanted].filter((id) => !stored.has(id));
  if (gone.length > 0) {
    await client.query(
      'DELETE FROM chat_members WHERE chat_id = $1 AND user_id = ANY($2::uuid[])',
      [chatId, gone],
    );
  }
  if (added.length > 0) {
    await client.query(
      `INSERT INTO chat_members (user_id, chat_id)
       SELECT user_id, $1 FROM unnest($2::uuid[]) AS user_id ON CONFLICT DO NOTHING`,
      [chatId, added],
    );
  }
  await client.query('UPDATE chats SET members_seq = $2 WHERE chat_id = $1', [chatId, seq]);
}
