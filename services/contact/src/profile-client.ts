import { internalOperations } from '@messenger/contracts';
import type { ServiceClient } from '@messenger/platform';

export interface ProfileRef {
  userId: string;
  nickname: string;
}

/** Contact's use of the profile service's internal operations: who a user is, by nickname or id. */
export class ProfileClient {
  constructor(private readonly profile: ServiceClient) {}

  async byNickname(nickname: string): Promise<ProfileRef | undefined> {
    const result = await this.profile.call(internalOperations.profileByNickname, {
      params: { nickname },
    });
    return result.ok ? result.body : undefined;
  }

  async byIds(userIds: readonly string[]): Promise<Map<string, ProfileRef>> {
    if (userIds.length === 0) return new Map();
    const result = await this.profile.call(internalOperations.profileBatch, {
      body: { userIds: [...userIds] },
    });
    return new Map(result.body.items.map((profile) => [profile.userId, profile]));
  }

  async exists(userId: string): Promise<boolean> {
    return (await this.byIds([userId])).has(userId);
  }
}
