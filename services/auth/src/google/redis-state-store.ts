import { randomBytes } from 'node:crypto';
import type { Redis } from '@messenger/platform';

const STATE_FORMAT = /^[A-Za-z0-9_-]{43}$/;

type Stored = (error: Error | null, state?: string) => void;
type Verified = (
  error: Error | null,
  codeVerifier: string | false,
  info?: { message: string },
) => void;

function keyOf(state: string): string {
  return `auth:oauth-state:${state}`;
}

/**
 * passport-oauth2's state store for PKCE, kept in Redis so any auth pod can finish a flow another
 * started. A state is 256 random bits, lives ten minutes and is deleted when first presented, so a
 * replayed or forged callback finds nothing. It holds the PKCE code verifier of its flow.
 */
export class RedisStateStore {
  constructor(
    private readonly redis: Redis,
    private readonly ttlSeconds = 600,
  ) {}

  // passport-oauth2 picks the PKCE form of this call by its arity (five parameters).
  store(_req: unknown, codeVerifier: string, _state: unknown, _meta: unknown, done: Stored): void {
    const state = randomBytes(32).toString('base64url');
    this.redis.set(keyOf(state), codeVerifier, 'EX', this.ttlSeconds).then(
      () => {
        done(null, state);
      },
      (error: unknown) => {
        done(error as Error);
      },
    );
  }

  verify(_req: unknown, state: unknown, done: Verified): void {
    if (typeof state !== 'string' || !STATE_FORMAT.test(state)) {
      done(null, false, { message: 'missing or malformed state' });
      return;
    }
    this.redis.getdel(keyOf(state)).then(
      (codeVerifier) => {
        if (codeVerifier) done(null, codeVerifier);
        else done(null, false, { message: 'unknown, expired or used state' });
      },
      (error: unknown) => {
        done(error as Error, false);
      },
    );
  }
}
