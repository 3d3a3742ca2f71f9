import type { Logger, Pool, Redis, TokenVerifier } from '@messenger/platform';
import type { PasswordHasher } from './passwords/password-hasher.js';
import type { SessionClient } from './upstream/session-client.js';
import type { ProfileClient } from './upstream/profile-client.js';
import type { VerificationMailer } from './email/verification-mailer.js';

/** What the auth flows share; built once in service.ts. */
export interface AuthDeps {
  pool: Pool;
  redis: Redis;
  logger: Logger;
  hasher: PasswordHasher;
  commonPasswords: ReadonlySet<string>;
  sessions: SessionClient;
  profiles: ProfileClient;
  mailer: VerificationMailer;
  verify: TokenVerifier;
  verificationTtlSeconds: number;
  /** Wakes the outbox relay after a commit that queued events. */
  onCommit: () => void;
}
