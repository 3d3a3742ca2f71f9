import { z } from 'zod';
import { HttpProblem, problems } from '@messenger/platform';
import type { Upstream } from './upstream.js';

const tokensSchema = z.object({
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1),
  tokenType: z.literal('Bearer'),
  expiresIn: z.number().int().positive(),
  sessionId: z.uuid(),
  userId: z.uuid(),
});
export type IssuedTokens = z.infer<typeof tokensSchema>;

const problemCode = z.object({ code: z.string() });

export interface ClientInfo {
  userAgent?: string;
  ip?: string;
}

/** The session service's internal contract (docs/conventions.md). */
export class SessionClient {
  constructor(private readonly upstream: Upstream) {}

  async open(userId: string, client: ClientInfo): Promise<IssuedTokens> {
    const path = '/internal/sessions';
    const response = await this.upstream.post(path, { userId, ...client });
    if (response.status !== 201) throw this.upstream.unexpected(path, response);
    return tokensSchema.parse(response.body);
  }

  /** Rotates a refresh token; 401 `token_reused` / `unauthorized` pass through unchanged. */
  async refresh(refreshToken: string, client: ClientInfo): Promise<IssuedTokens> {
    const path = '/internal/sessions/refresh';
    const response = await this.upstream.post(path, { refreshToken, ...client });
    if (response.status === 200) return tokensSchema.parse(response.body);
    if (response.status === 401) {
      const code = problemCode.safeParse(response.body);
      if (code.success && code.data.code === 'token_reused')
        throw new HttpProblem(401, 'token_reused', 'This refresh token was already used.');
      throw problems.unauthorized('The refresh token is invalid or expired.');
    }
    throw this.upstream.unexpected(path, response);
  }

  async revoke(request: {
    userId: string;
    sessionId?: string;
    refreshToken?: string;
  }): Promise<void> {
    const path = '/internal/sessions/revoke';
    const response = await this.upstream.post(path, request);
    if (response.status !== 204) throw this.upstream.unexpected(path, response);
  }

  async revokeAll(userId: string): Promise<void> {
    const path = `/internal/users/${encodeURIComponent(userId)}/sessions/revoke`;
    const response = await this.upstream.post(path);
    if (response.status !== 204) throw this.upstream.unexpected(path, response);
  }
}
