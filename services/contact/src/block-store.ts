import type { BlockEntry } from '@messenger/contracts';
import type { Pool, PoolClient } from '@messenger/platform';
import type { Sequenced } from './seq-page.js';

/** The new block, or undefined when it already existed. */
export async function insertBlock(
  client: PoolClient,
  blockerId: string,
  blockedId: string,
): Promise<BlockEntry | undefined> {
  const { rows } = await client.query<{ created_at: Date }>(
    `INSERT INTO blocks (blocker_id, blocked_id) VALUES ($1, $2)
     ON CONFLICT DO NOTHING RETURNING created_at`,
    [blockerId, blockedId],
  );
  const row = rows[0];
  return row && { userId: blockedId, createdAt: row.created_at.toISOString() };
}

/** True when there was a block to delete. */
export async function deleteBlock(
  client: PoolClient,
  blockerId: string,
  blockedId: string,
): Promise<boolean> {
  const { rowCount } = await client.query(
    'DELETE FROM blocks WHERE blocker_id = $1 AND blocked_id = $2',
    [blockerId, blockedId],
  );
  return rowCount === 1;
}

/** The users someone blocked, most recent first, before `beforeSeq`. */
export async function listBlocks(
  db: Pool,
  blockerId: string,
  beforeSeq: string | undefined,
  limit: number,
): Promise<Sequenced<BlockEntry>[]> {
  const { rows } = await db.query<{ blocked_id: string; created_at: Date; seq: string }>(
    `SELECT blocked_id, created_at, seq FROM blocks
     WHERE blocker_id = $1 AND seq < COALESCE($2::bigint, 9223372036854775807)
     ORDER BY seq DESC LIMIT $3`,
    [blockerId, beforeSeq ?? null, limit],
  );
  return rows.map((row) => ({
    seq: row.seq,
    item: { userId: row.blocked_id, createdAt: row.created_at.toISOString() },
  }));
}
