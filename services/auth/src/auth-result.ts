import { isIP } from 'node:net';
import type { Request } from 'express';
import { publicUser, type UserRecord } from './users/user-store.js';
import type { AuthResult, ClientInfo, IssuedTokens } from '@messenger/contracts';

export function authResult(user: UserRecord, tokens: IssuedTokens): AuthResult {
  return {
    user: publicUser(user),
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    tokenType: 'Bearer',
    expiresIn: tokens.expiresIn,
  };
}

const USER_AGENT_MAX = 512;

/** The caller's address (through the gateway's X-Forwarded-For) and user agent, for sessions. */
export function clientInfo(req: Request): ClientInfo {
  const ip = clientIp(req);
  const userAgent = req.get('user-agent')?.slice(0, USER_AGENT_MAX);
  return { ...(ip ? { ip } : {}), ...(userAgent ? { userAgent } : {}) };
}

export function clientIp(req: Request): string | undefined {
  const raw = req.ip?.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
  return raw && isIP(raw) ? raw : undefined;
}
