/** HS256 connection tokens for the peers, which trust whoever holds the shared secret. */
import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';

export function newSecret(): string {
  return randomBytes(32).toString('hex');
}

export function signToken(secret: string, userId: string): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(userId)
    .setIssuedAt()
    .setExpirationTime('6h')
    .sign(new TextEncoder().encode(secret));
}
