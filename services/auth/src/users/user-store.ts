import type { PublicUser } from '@messenger/contracts';
import type { Pool, PoolClient } from '@messenger/platform';

export interface UserRecord {
  id: string;
  email: string;
  nickname: string;
  passwordHash: string | null;
  emailVerified: boolean;
}

interface UserRow {
  id: string;
  email: string;
  nickname: string;
  password_hash: string | null;
  email_verified: boolean;
}

type Queryable = Pool | PoolClient;

const COLUMNS = 'id, email, nickname, password_hash, email_verified';

function fromRow(row: UserRow | undefined): UserRecord | undefined {
  return (
    row && {
      id: row.id,
      email: row.email,
      nickname: row.nickname,
      passwordHash: row.password_hash,
      emailVerified: row.email_verified,
    }
  );
}

export function publicUser(user: UserRecord): PublicUser {
  return {
    id: user.id,
    email: user.email,
    nickname: user.nickname,
    emailVerified: user.emailVerified,
  };
}

export async function findUserById(db: Queryable, id: string): Promise<UserRecord | undefined> {
  const { rows } = await db.query<UserRow>(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [id]);
  return fromRow(rows[0]);
}

export async function findUserByEmail(
  db: Queryable,
  email: string,
): Promise<UserRecord | undefined> {
  const { rows } = await db.query<UserRow>(
    `SELECT ${COLUMNS} FROM users WHERE lower(email) = lower($1)`,
    [email],
  );
  return fromRow(rows[0]);
}

export async function findUserByIdentity(
  db: Queryable,
  provider: string,
  subject: string,
): Promise<UserRecord | undefined> {
  const { rows } = await db.query<UserRow>(
    `SELECT u.id, u.email, u.nickname, u.password_hash, u.email_verified FROM users u
     JOIN oauth_identities i ON i.user_id = u.id WHERE i.provider = $1 AND i.subject = $2`,
    [provider, subject],
  );
  return fromRow(rows[0]);
}

/** Inserts a user; a duplicate email (case-insensitive) raises Postgres error 23505. */
export async function insertUser(db: Queryable, user: UserRecord): Promise<void> {
  await db.query(
    'INSERT INTO users (id, email, nickname, password_hash, email_verified) VALUES ($1, $2, $3, $4, $5)',
    [user.id, user.email, user.nickname, user.passwordHash, user.emailVerified],
  );
}

export async function linkIdentity(
  db: Queryable,
  provider: string,
  subject: string,
  userId: string,
): Promise<void> {
  await db.query(
    'INSERT INTO oauth_identities (provider, subject, user_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
    [provider, subject, userId],
  );
}

export async function updatePasswordHash(
  db: Queryable,
  userId: string,
  hash: string | null,
): Promise<void> {
  await db.query('UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1', [
    userId,
    hash,
  ]);
}

export async function updateNickname(db: Queryable, userId: string, nickname: string) {
  await db.query('UPDATE users SET nickname = $2 WHERE id = $1', [userId, nickname]);
}

/** Marks the email verified; resolves true only for the call that changed it. */
export async function markEmailVerified(db: Queryable, userId: string): Promise<boolean> {
  const result = await db.query(
    'UPDATE users SET email_verified = true, updated_at = now() WHERE id = $1 AND NOT email_verified',
    [userId],
  );
  return result.rowCount === 1;
}

export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '23505';
}
