import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import type { RequestHandler } from 'express';
import type { Redis } from 'ioredis';
import { problems } from '../http/problem.js';

export interface AuthContext {
  userId: string;
  sessionId: string;
  token: string;
  expiresAt: number;
}

declare module 'express-serve-static-core' {
  interface Request {
    auth?: AuthContext;
  }
}

export interface TokenVerifierOptions {
  jwksUrl: string;
  issuer: string;
  audience: string;
  /** Resolves true when the session was revoked; checked on every verification. */
  isRevoked?: (sessionId: string) => Promise<boolean>;
}

export type TokenVerifier = (token: string) => Promise<AuthContext>;

function hasSession(
  payload: JWTPayload,
): payload is JWTPayload & { sub: string; sid: string; exp: number } {
  return (
    typeof payload.sub === 'string' &&
    typeof payload['sid'] === 'string' &&
    typeof payload.exp === 'number'
  );
}

/** Verifies access tokens against the session service's JWKS (keys fetched and cached by jose). */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const keys = createRemoteJWKSet(new URL(options.jwksUrl), {
    cooldownDuration: 30_000,
    cacheMaxAge: 10 * 60_000,
  });
  return async (token) => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: ['EdDSA', 'ES256'],
      }));
    } catch {
      throw problems.unauthorized('The access token is invalid or expired.');
    }
    if (!hasSession(payload)) throw problems.unauthorized('The access token is missing claims.');
    if (await options.isRevoked?.(payload.sid))
      throw problems.unauthorized('The session was revoked.');
    return { userId: payload.sub, sessionId: payload.sid, token, expiresAt: payload.exp };
  };
}

/** Redis key marking a revoked session; it expires when the session's last access token does. */
export function revokedSessionKey(sessionId: string): string {
  return `revoked:session:${sessionId}`;
}

export function redisRevocationCheck(redis: Redis): (sessionId: string) => Promise<boolean> {
  return async (sessionId) => (await redis.exists(revokedSessionKey(sessionId))) === 1;
}

export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(header ?? '');
  return match?.[1];
}

/** Rejects requests without a valid, unrevoked access token; sets `req.auth`. */
export function requireAuth(verify: TokenVerifier): RequestHandler {
  return async (req, _res, next) => {
    const token = bearerToken(req.headers.authorization);
    if (!token) throw problems.unauthorized();
    req.auth = await verify(token);
    next();
  };
}

/**
 * How a service authenticates its callers: `requireAuth` over the session service's JWKS (its
 * `tokenConfig`), refusing revoked sessions from Redis.
 */
export function tokenAuthentication(
  config: { JWKS_URL: string; JWT_ISSUER: string; JWT_AUDIENCE: string },
  redis: Redis,
): RequestHandler {
  return requireAuth(
    createTokenVerifier({
      jwksUrl: config.JWKS_URL,
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
      isRevoked: redisRevocationCheck(redis),
    }),
  );
}

/** The authenticated caller of a route behind requireAuth. */
export function authOf(req: { auth?: AuthContext }): AuthContext {
  if (!req.auth) throw problems.unauthorized();
  return req.auth;
}
