import type { PairState } from '@messenger/contracts';
import type { Pool, PoolClient } from '@messenger/platform';
import type { Pair } from './pair.js';

export async function readPairState(db: Pool | PoolClient, pair: Pair): Promise<PairState> {
  const { rows } = await db.query<{
    friends: boolean;
    blocked_by_low: boolean;
    blocked_by_high: boolean;
  }>(
    `SELECT
       EXISTS (SELECT 1 FROM friendships WHERE user_low = $1 AND user_high = $2) AS friends,
       EXISTS (SELECT 1 FROM blocks WHERE blocker_id = $1 AND blocked_id = $2) AS blocked_by_low,
       EXISTS (SELECT 1 FROM blocks WHERE blocker_id = $2 AND blocked_id = $1) AS blocked_by_high`,
    [pair.low, pair.high],
  );
  const row = rows[0];
  return {
    friends: row?.friends ?? false,
    blockedByLow: row?.blocked_by_low ?? false,
    blockedByHigh: row?.blocked_by_high ?? false,
  };
}
