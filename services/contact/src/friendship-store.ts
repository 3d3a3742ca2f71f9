import type { Pool, PoolClient } from '@messenger/platform';
import type { Pair } from './pair.js';
import type { Sequenced } from './seq-page.js';

type Db = Pool | PoolClient;

export async function insertFriendship(client: PoolClient, pair: Pair): Promise<string> {
  const { rows } = await client.query<{ since: Date }>(
    'INSERT INTO friendships (user_low, user_high) VALUES ($1, $2) RETURNING since',
    [pair.low, pair.high],
  );
  const row = rows[0];
  if (!row) throw new Error('the friendship insert returned no row');
  return row.since.toISOString();
}

/** True when there was a friendship to delete. */
export async function deleteFriendship(client: PoolClient, pair: Pair): Promise<boolean> {
  const { rowCount } = await client.query(
    'DELETE FROM friendships WHERE user_low = $1 AND user_high = $2',
    [pair.low, pair.high],
  );
  return rowCount === 1;
}

export interface FriendEntry {
  friendId: string;
  since: string;
}

/** A user's friends, newest friendship first, before `beforeSeq`. */
export async function listFriendships(
  db: Db,
  userId: string,
  beforeSeq: string | undefined,
  limit: number,
): Promise<Sequenced<FriendEntry>[]> {
  const { rows } = await db.query<{ friend_id: string; since: Date; seq: string }>(
    `SELECT friend_id, since, seq FROM (
       SELECT user_high AS friend_id, since, seq FROM friendships WHERE user_low = $1
       UNION ALL
       SELECT user_low AS friend_id, since, seq FROM friendships WHERE user_high = $1
     ) AS mine
     WHERE seq < COALESCE($2::bigint, 9223372036854775807)
     ORDER BY seq DESC LIMIT $3`,
    [userId, beforeSeq ?? null, limit],
  );
  return rows.map((row) => ({
    seq: row.seq,
    item: { friendId: row.friend_id, since: row.since.toISOString() },
  }));
}

export async function allFriendIds(db: Db, userId: string): Promise<string[]> {
  const { rows } = await db.query<{ friend_id: string }>(
    `SELECT user_high AS friend_id FROM friendships WHERE user_low = $1
     UNION ALL
     SELECT user_low FROM friendships WHERE user_high = $1`,
    [userId],
  );
  return rows.map((row) => row.friend_id);
}
