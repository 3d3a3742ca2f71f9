import { z } from 'zod';
import type { Logger } from '@messenger/platform';
import type { Upstream } from './upstream.js';

const problemCode = z.object({ code: z.string() });
const batchSchema = z.object({
  items: z.array(z.object({ userId: z.string(), nickname: z.string() })),
});

/** The profile service's internal contract (docs/conventions.md). */
export class ProfileClient {
  constructor(
    private readonly upstream: Upstream,
    private readonly logger: Logger,
  ) {}

  /** Creates the user's profile; idempotent for the same user and nickname. */
  async create(userId: string, nickname: string): Promise<'created' | 'nickname_taken'> {
    const path = '/internal/profiles';
    const response = await this.upstream.post(path, { userId, nickname });
    if (response.status === 201 || response.status === 200) return 'created';
    if (response.status === 409) {
      const code = problemCode.safeParse(response.body);
      if (code.success && code.data.code === 'nickname_taken') return 'nickname_taken';
    }
    throw this.upstream.unexpected(path, response);
  }

  /**
   * The user's current nickname (it can change in the profile service), or undefined when the
   * profile service cannot say; callers then use the nickname given at sign-up.
   */
  async currentNickname(userId: string): Promise<string | undefined> {
    try {
      const response = await this.upstream.post('/internal/profiles/batch', { userIds: [userId] });
      const parsed = batchSchema.safeParse(response.body);
      if (response.status === 200 && parsed.success)
        return parsed.data.items.find((item) => item.userId === userId)?.nickname;
      this.logger.warn({ status: response.status }, 'unexpected profile batch answer');
    } catch (error) {
      this.logger.warn({ err: error }, 'profile nickname lookup failed; using the stored one');
    }
    return undefined;
  }
}
