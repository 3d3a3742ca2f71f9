import { createHash, randomBytes } from 'node:crypto';
import type { PoolClient } from '@messenger/platform';

export interface VerificationToken {
  /** Goes into the mail only. */
  token: string;
  /** What the database keeps. */
  hash: Buffer;
}

export function verificationTokenHash(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

export function newVerificationToken(): VerificationToken {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: verificationTokenHash(token) };
}

/** Stores a new token for the user; tokens sent earlier stop working. */
export async function storeVerificationToken(
  tx: PoolClient,
  userId: string,
  token: VerificationToken,
  ttlSeconds: number,
): Promise<void> {
  await tx.query(
    'UPDATE email_verification_tokens SET used_at = now() WHERE user_id = $1 AND used_at IS NULL',
    [userId],
  );
  await tx.query(
    `INSERT INTO email_verification_tokens (token_hash, user_id, expires_at)
     VALUES ($1, $2, now() + make_interval(secs => $3))`,
    [token.hash, userId, ttlSeconds],
  );
}

/** Spends a live token; resolves the user it was sent to, or undefined. */
export async function consumeVerificationToken(
  tx: PoolClient,
  token: string,
): Promise<string | undefined> {
  const { rows } = await tx.query<{ user_id: string }>(
    `UPDATE email_verification_tokens SET used_at = now()
     WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now() RETURNING user_id`,
    [verificationTokenHash(token)],
  );
  return rows[0]?.user_id;
}
