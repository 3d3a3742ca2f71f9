import type { Profile } from '@messenger/contracts';
import {
  enqueueEvent,
  problems,
  withTransaction,
  type Page,
  type PgOutboxRelay,
  type Pool,
} from '@messenger/platform';
import type { GuardedCache } from '@messenger/platform';
import type { ProfilePatch } from '@messenger/contracts';
import {
  findProfileByNickname,
  findProfiles,
  insertProfileIfAbsent,
  lockProfile,
  updateProfile,
  type EditableFields,
} from './profile-store.js';
import { isUniqueViolation } from './pg-errors.js';
import { searchProfiles } from './profile-search.js';

export type CreateOutcome =
  | { result: 'created' | 'existing'; profile: Profile }
  | { result: 'nickname_taken' | 'other_nickname' };

const EDITABLE = ['nickname', 'displayName', 'bio', 'avatarUrl'] as const;

const nicknameTaken = () => problems.conflict('nickname_taken', 'That nickname is taken.');

/** Profiles: reads through the cache, writes in Postgres with their event in the outbox. */
export class Profiles {
  constructor(
    private readonly pool: Pool,
    private readonly cache: GuardedCache<Profile>,
    private readonly relay: PgOutboxRelay,
  ) {}

  get(userId: string): Promise<Profile | undefined> {
    return this.cache.readOne(userId, async (id) => (await findProfiles(this.pool, [id]))[0]);
  }

  /** The profiles that exist among `userIds`, in the order asked. */
  async getMany(userIds: readonly string[]): Promise<Profile[]> {
    const unique = [...new Set(userIds)];
    const found = await this.cache.read(unique, async (missing) => {
      const profiles = await findProfiles(this.pool, missing);
      return new Map(profiles.map((profile) => [profile.userId, profile]));
    });
    return unique.flatMap((id) => found.get(id) ?? []);
  }

  byNickname(nickname: string): Promise<Profile | undefined> {
    return findProfileByNickname(this.pool, nickname);
  }

  /** Profiles whose nickname, then display name, starts with `term`; a page at a time. */
  search(term: string, limit: number, cursor: string | undefined): Promise<Page<Profile>> {
    return searchProfiles(this.pool, term, limit, cursor);
  }

  /**
   * Creates the profile at registration. Repeating the same call is answered with the existing
   * profile; the same user with another nickname, or a nickname someone else holds, is refused.
   */
  async create(userId: string, nickname: string): Promise<CreateOutcome> {
    const created = await insertProfileIfAbsent(this.pool, userId, nickname);
    if (created) return { result: 'created', profile: created };
    const [existing] = await findProfiles(this.pool, [userId]);
    if (!existing) return { result: 'nickname_taken' };
    if (existing.nickname !== nickname) return { result: 'other_nickname' };
    return { result: 'existing', profile: existing };
  }

  async update(userId: string, patch: ProfilePatch): Promise<Profile> {
    const outcome = await withTransaction(this.pool, async (client) => {
      const current = await lockProfile(client, userId);
      if (!current) throw problems.notFound('You have no profile yet.');
      const next: EditableFields = {
        nickname: patch.nickname ?? current.nickname,
        displayName: patch.displayName === undefined ? current.displayName : patch.displayName,
        bio: patch.bio === undefined ? current.bio : patch.bio,
        avatarUrl: patch.avatarUrl === undefined ? current.avatarUrl : patch.avatarUrl,
      };
      const changed = EDITABLE.filter((field) => next[field] !== current[field]);
      if (changed.length === 0) return { profile: current, changed };
      const profile = await updateProfile(client, userId, next).catch((error: unknown) => {
        throw isUniqueViolation(error) ? nicknameTaken() : error;
      });
      await enqueueEvent(client, 'profile', {
        type: 'profile.updated',
        key: userId,
        data: { ...profile, changed },
      });
      return { profile, changed };
    });
    if (outcome.changed.length > 0) {
      await this.cache.invalidate(userId);
      this.relay.wake();
    }
    return outcome.profile;
  }
}
