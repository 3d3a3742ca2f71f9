import { randomUUID } from 'node:crypto';
import type { FriendRequest, RequestStatus } from '@messenger/contracts';
import type { Pool, PoolClient } from '@messenger/platform';
import type { Pair } from './pair.js';
import type { Sequenced } from './seq-page.js';

type Db = Pool | PoolClient;

interface RequestRow {
  id: string;
  seq: string;
  from_user_id: string;
  to_user_id: string;
  status: RequestStatus;
  created_at: Date;
}

const COLUMNS = 'id, seq, from_user_id, to_user_id, status, created_at';

function toRequest(row: RequestRow): FriendRequest {
  return {
    id: row.id,
    fromUserId: row.from_user_id,
    toUserId: row.to_user_id,
    status: row.status,
    createdAt: row.created_at.toISOString(),
  };
}

export async function insertRequest(
  client: PoolClient,
  fromUserId: string,
  toUserId: string,
): Promise<FriendRequest> {
  const { rows } = await client.query<RequestRow>(
    `INSERT INTO friend_requests (id, from_user_id, to_user_id) VALUES ($1, $2, $3)
     RETURNING ${COLUMNS}`,
    [randomUUID(), fromUserId, toUserId],
  );
  return toRequest(required(rows[0]));
}

export async function findRequest(db: Db, id: string): Promise<FriendRequest | undefined> {
  const { rows } = await db.query<RequestRow>(
    `SELECT ${COLUMNS} FROM friend_requests WHERE id = $1`,
    [id],
  );
  return rows[0] && toRequest(rows[0]);
}

export async function findPendingRequest(
  client: PoolClient,
  pair: Pair,
): Promise<FriendRequest | undefined> {
  const { rows } = await client.query<RequestRow>(
    `SELECT ${COLUMNS} FROM friend_requests
     WHERE LEAST(from_user_id, to_user_id) = $1 AND GREATEST(from_user_id, to_user_id) = $2
       AND status = 'pending'`,
    [pair.low, pair.high],
  );
  return rows[0] && toRequest(rows[0]);
}

export async function answerRequest(
  client: PoolClient,
  id: string,
  status: 'accepted' | 'rejected',
): Promise<FriendRequest> {
  const { rows } = await client.query<RequestRow>(
    `UPDATE friend_requests SET status = $2, answered_at = now() WHERE id = $1
     RETURNING ${COLUMNS}`,
    [id, status],
  );
  return toRequest(required(rows[0]));
}

export async function deleteRequest(client: PoolClient, id: string): Promise<void> {
  await client.query('DELETE FROM friend_requests WHERE id = $1', [id]);
}

export async function deletePendingRequests(client: PoolClient, pair: Pair): Promise<void> {
  await client.query(
    `DELETE FROM friend_requests
     WHERE LEAST(from_user_id, to_user_id) = $1 AND GREATEST(from_user_id, to_user_id) = $2
       AND status = 'pending'`,
    [pair.low, pair.high],
  );
}

export type Direction = 'incoming' | 'outgoing';

/** Pending requests to (incoming) or from (outgoing) a user, newest first, before `beforeSeq`. */
export async function listPendingRequests(
  db: Db,
  userId: string,
  direction: Direction,
  beforeSeq: string | undefined,
  limit: number,
): Promise<Sequenced<FriendRequest>[]> {
  const column = direction === 'incoming' ? 'to_user_id' : 'from_user_id';
  const { rows } = await db.query<RequestRow>(
    `SELECT ${COLUMNS} FROM friend_requests
     WHERE ${column} = $1 AND status = 'pending' AND seq < COALESCE($2::bigint, 9223372036854775807)
     ORDER BY seq DESC LIMIT $3`,
    [userId, beforeSeq ?? null, limit],
  );
  return rows.map((row) => ({ seq: row.seq, item: toRequest(row) }));
}

function required<T>(row: T | undefined): T {
  if (row === undefined) throw new Error('the statement returned no row');
  return row;
}
