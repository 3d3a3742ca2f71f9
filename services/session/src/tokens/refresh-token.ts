import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits, base64url: what the client holds. */
export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What the database holds instead of the token. */
export function refreshTokenHash(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
