import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { SigningKeys } from '../keys/signing-keys.js';

export interface AccessTokenSettings {
  issuer: string;
  audience: string;
  ttlSeconds: number;
}

export interface AccessTokenIssuer {
  ttlSeconds: number;
  issue: (userId: string, sessionId: string) => Promise<string>;
}

/** Short-lived EdDSA JWTs naming the user (`sub`) and the session (`sid`), signed with `kid`. */
export function accessTokenIssuer(
  keys: SigningKeys,
  settings: AccessTokenSettings,
): AccessTokenIssuer {
  return {
    ttlSeconds: settings.ttlSeconds,
    issue: (userId, sessionId) => {
      const key = keys.current();
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ sid: sessionId })
        .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: 'at+jwt' })
        .setIssuer(settings.issuer)
        .setAudience(settings.audience)
        .setSubject(userId)
        .setIssuedAt(now)
        .setExpirationTime(now + settings.ttlSeconds)
        .setJti(randomUUID())
        .sign(key.privateKey);
    },
  };
}
