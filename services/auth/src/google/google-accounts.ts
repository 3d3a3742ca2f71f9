import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  enqueueEvent,
  HttpProblem,
  problems,
  withTransaction,
  type Logger,
  type Pool,
  type PoolClient,
} from '@messenger/platform';
import type { ProfileClient } from '../upstream/profile-client.js';
import type { SessionClient } from '../upstream/session-client.js';
import {
  findUserByEmail,
  findUserByIdentity,
  insertUser,
  isUniqueViolation,
  linkIdentity,
  markEmailVerified,
  updateNickname,
  updatePasswordHash,
  type UserRecord,
} from '../users/user-store.js';
import { nicknameCandidates } from './nickname-candidates.js';

const PROVIDER = 'google';

/** The OpenID userinfo fields we use (Google sends `email_verified` as a boolean). */
export const googleUserinfoSchema = z.object({
  sub: z.string().min(1).max(255),
  email: z.string().trim().max(254).pipe(z.email()).optional(),
  email_verified: z.boolean().optional(),
  name: z.string().max(256).optional(),
});
export type GoogleUserinfo = z.infer<typeof googleUserinfoSchema>;

/** Users who sign in with Google: linked, matched by a vouched-for email, or created. */
export class GoogleAccounts {
  constructor(
    private readonly pool: Pool,
    private readonly sessions: SessionClient,
    private readonly profiles: ProfileClient,
    /** Wakes the outbox relay after a commit that queued events. */
    private readonly onCommit: () => void,
    private readonly logger: Logger,
  ) {}

  /**
   * The user behind a Google identity: the one already linked; else the account with the same
   * email, linked only when Google vouches for the address; else a new user with a profile.
   */
  async resolve(info: GoogleUserinfo): Promise<UserRecord> {
    const linked = await findUserByIdentity(this.pool, PROVIDER, info.sub);
    if (linked) return linked;
    if (!info.email)
      throw new HttpProblem(400, 'oauth_email_missing', 'Google did not share an email address.');
    const existing = await findUserByEmail(this.pool, info.email);
    if (existing) return this.linkExisting(existing, info);
    try {
      return await this.createUser(info, info.email);
    } catch (error) {
      if (isUniqueViolation(error))
        throw problems.conflict('email_taken', 'An account with this email already exists.');
      throw error;
    }
  }

  private async linkExisting(user: UserRecord, info: GoogleUserinfo): Promise<UserRecord> {
    if (info.email_verified !== true)
      throw problems.conflict(
        'email_taken',
        'An account with this email exists; log in with its password.',
      );
    // Nobody proved the existing account's address, so its password may be a squatter's: Google's
    // proof wins, the password goes and every session of the account ends.
    const unproven = !user.emailVerified;
    if (unproven) await this.sessions.revokeAll(user.id);
    await withTransaction(this.pool, async (tx) => {
      await linkIdentity(tx, PROVIDER, info.sub, user.id);
      if (unproven) {
        await updatePasswordHash(tx, user.id, null);
        if (await markEmailVerified(tx, user.id)) await emailVerified(tx, user.id);
      }
    });
    this.onCommit();
    this.logger.info({ event: 'auth.google_linked', userId: user.id, unproven }, 'google linked');
    return unproven ? { ...user, passwordHash: null, emailVerified: true } : user;
  }

  private async createUser(info: GoogleUserinfo, email: string): Promise<UserRecord> {
    const candidates = nicknameCandidates(info.name, email);
    const user: UserRecord = {
      id: randomUUID(),
      email,
      nickname: candidates[0] ?? 'user',
      passwordHash: null,
      emailVerified: info.email_verified === true,
    };
    await withTransaction(this.pool, async (tx) => {
      await insertUser(tx, user);
      user.nickname = await this.claimNickname(user.id, candidates);
      await updateNickname(tx, user.id, user.nickname);
      await linkIdentity(tx, PROVIDER, info.sub, user.id);
      await enqueueEvent(tx, 'auth', {
        type: 'user.created',
        key: user.id,
        data: { userId: user.id, email: user.email, nickname: user.nickname },
      });
    });
    this.onCommit();
    this.logger.info(
      { event: 'auth.register', userId: user.id, provider: PROVIDER },
      'user registered',
    );
    return user;
  }

  /** Creates the profile with the first free candidate nickname. */
  private async claimNickname(userId: string, candidates: string[]): Promise<string> {
    for (const nickname of candidates) {
      if ((await this.profiles.create(userId, nickname)) === 'created') return nickname;
    }
    throw new Error('no free nickname among the candidates');
  }
}

function emailVerified(tx: PoolClient, userId: string): Promise<unknown> {
  return enqueueEvent(tx, 'auth', {
    type: 'user.email_verified',
    key: userId,
    data: { userId },
  });
}
