import type { Pool, PoolClient } from '@messenger/platform';
import type { ClientInfo } from '@messenger/contracts';

type Db = Pool | PoolClient;

export interface SessionRow {
  id: string;
  created_at: Date;
  /** created_at as Postgres prints it, to the microsecond: the page cursor's position. */
  position: string;
  last_used_at: Date;
  user_agent: string | null;
  ip: string | null;
}

/** A presented refresh token with its session, locked for the rest of the transaction. */
export interface PresentedToken {
  spent_at: Date | null;
  session_id: string;
  user_id: string;
  revoked_at: Date | null;
  expires_at: Date;
  last_used_at: Date;
}

/** Which live sessions to revoke; every given field must match. */
export interface RevokeFilter {
  userId?: string;
  sessionId?: string;
  exceptSessionId?: string;
}

export async function insertSession(
  tx: PoolClient,
  session: { id: string; userId: string; maxAgeSeconds: number; client: ClientInfo },
): Promise<void> {
  await tx.query(
    `INSERT INTO sessions (id, user_id, expires_at, user_agent, ip)
     VALUES ($1, $2, now() + make_interval(secs => $3), $4, $5)`,
    [
      session.id,
      session.userId,
      session.maxAgeSeconds,
      session.client.userAgent ?? null,
      session.client.ip ?? null,
    ],
  );
}

export async function insertRefreshToken(
  tx: PoolClient,
  tokenHash: Buffer,
  sessionId: string,
): Promise<void> {
  await tx.query('INSERT INTO refresh_tokens (token_hash, session_id) VALUES ($1, $2)', [
    tokenHash,
    sessionId,
  ]);
}

/** Locks the token and its session, so concurrent uses of one token are serialised. */
export async function lockPresentedToken(
  tx: PoolClient,
  tokenHash: Buffer,
): Promise<PresentedToken | undefined> {
  const { rows } = await tx.query<PresentedToken>(
    `SELECT t.spent_at, s.id AS session_id, s.user_id, s.revoked_at, s.expires_at, s.last_used_at
     FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id
     WHERE t.token_hash = $1 FOR UPDATE`,
    [tokenHash],
  );
  return rows[0];
}

export async function spendRefreshToken(tx: PoolClient, tokenHash: Buffer): Promise<void> {
  await tx.query('UPDATE refresh_tokens SET spent_at = now() WHERE token_hash = $1', [tokenHash]);
}

/** A refresh marks the session used, with the client it now comes from (when known). */
export async function touchSession(
  tx: PoolClient,
  sessionId: string,
  client: ClientInfo,
): Promise<void> {
  await tx.query(
    `UPDATE sessions SET last_used_at = now(),
       user_agent = coalesce($2, user_agent), ip = coalesce($3, ip) WHERE id = $1`,
    [sessionId, client.userAgent ?? null, client.ip ?? null],
  );
}

/** The session a refresh token belongs to, spent or not. */
export async function sessionOfRefreshToken(
  db: Db,
  tokenHash: Buffer,
): Promise<string | undefined> {
  const { rows } = await db.query<{ session_id: string }>(
    'SELECT session_id FROM refresh_tokens WHERE token_hash = $1',
    [tokenHash],
  );
  return rows[0]?.session_id;
}

export async function sessionOwner(db: Db, sessionId: string): Promise<string | undefined> {
  const { rows } = await db.query<{ user_id: string }>(
    'SELECT user_id FROM sessions WHERE id = $1',
    [sessionId],
  );
  return rows[0]?.user_id;
}

/**
 * A user's live sessions (not revoked, not expired, used within `idleTtlSeconds`), newest first,
 * after the cursor position `after`; `limit` rows at most.
 */
export async function listLiveSessions(
  db: Db,
  query: {
    userId: string;
    idleTtlSeconds: number;
    after: { createdAt: string; id: string } | undefined;
    limit: number;
  },
): Promise<SessionRow[]> {
  const { rows } = await db.query<SessionRow>(
    `SELECT id, created_at, created_at::text AS position, last_used_at, user_agent, ip
     FROM sessions
     WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > now()
       AND last_used_at > now() - make_interval(secs => $2)
       AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::uuid))
     ORDER BY created_at DESC, id DESC LIMIT $5`,
    [
      query.userId,
      query.idleTtlSeconds,
      query.after?.createdAt ?? null,
      query.after?.id ?? null,
      query.limit,
    ],
  );
  return rows;
}

/** Marks the live sessions matching `filter` revoked; answers the ones it changed. */
export async function markRevoked(
  tx: PoolClient,
  filter: RevokeFilter,
  reason: string,
): Promise<{ id: string; user_id: string }[]> {
  const { rows } = await tx.query<{ id: string; user_id: string }>(
    `UPDATE sessions SET revoked_at = now(), revoke_reason = $1
     WHERE revoked_at IS NULL AND expires_at > now()
       AND ($2::uuid IS NULL OR user_id = $2)
       AND ($3::uuid IS NULL OR id = $3)
       AND ($4::uuid IS NULL OR id <> $4)
     RETURNING id, user_id`,
    [reason, filter.userId ?? null, filter.sessionId ?? null, filter.exceptSessionId ?? null],
  );
  return rows;
}

/**
 * Deletes up to `batch` sessions (their refresh tokens cascade) that expired, were revoked or
 * went idle more than `keepDeadSeconds` ago; answers how many it deleted.
 */
export async function deleteDeadSessions(
  db: Db,
  settings: { keepDeadSeconds: number; idleTtlSeconds: number; batch: number },
): Promise<number> {
  const result = await db.query(
    `DELETE FROM sessions WHERE id IN (
       SELECT id FROM sessions
       WHERE expires_at < now() - make_interval(secs => $1)
          OR revoked_at < now() - make_interval(secs => $1)
          OR last_used_at < now() - make_interval(secs => $1 + $2)
       LIMIT $3)`,
    [settings.keepDeadSeconds, settings.idleTtlSeconds, settings.batch],
  );
  return result.rowCount ?? 0;
}
