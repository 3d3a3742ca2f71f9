import { internalOperations } from '@messenger/contracts';
import type { Logger, ServiceClient } from '@messenger/platform';

/** Auth's use of the profile service's internal operations. */
export class ProfileClient {
  constructor(
    private readonly profile: ServiceClient,
    private readonly logger: Logger,
  ) {}

  /** Creates the user's profile; idempotent for the same user and nickname. */
  async create(userId: string, nickname: string): Promise<'created' | 'nickname_taken'> {
    const result = await this.profile.call(internalOperations.createProfile, {
      body: { userId, nickname },
    });
    if (result.ok) return 'created';
    if (result.code === 'nickname_taken') return 'nickname_taken';
    throw new Error(`profile answered ${result.code} for a new user's profile`);
  }

  /**
   * The user's current nickname (it can change in the profile service), or undefined when the
   * profile service cannot say; callers then use the nickname given at sign-up.
   */
  async currentNickname(userId: string): Promise<string | undefined> {
    try {
      const result = await this.profile.call(internalOperations.profileBatch, {
        body: { userIds: [userId] },
      });
      return result.body.items.find((item) => item.userId === userId)?.nickname;
    } catch (error) {
      this.logger.warn({ err: error }, 'profile nickname lookup failed; using the stored one');
      return undefined;
    }
  }
}
