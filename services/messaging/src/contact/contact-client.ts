import { z } from 'zod';
import { problems, type Logger } from '@messenger/platform';

const relationshipSchema = z.object({
  friends: z.boolean(),
  blockedByA: z.boolean(),
  blockedByB: z.boolean(),
});
export type Relationship = z.infer<typeof relationshipSchema>;

const friendsSchema = z.object({ items: z.array(z.string()) });

const TIMEOUT_MS = 3_000;

/**
 * The contact service's internal API (docs/conventions.md). Asked on every check rather than
 * mirrored here: contact answers from a Redis cache it invalidates on each change, so a block or
 * an unfriending is seen by the very next send.
 */
export class ContactClient {
  constructor(
    private readonly baseUrl: string,
    private readonly logger: Logger,
  ) {}

  relationship(a: string, b: string): Promise<Relationship> {
    return this.get(
      `/internal/relationships?${new URLSearchParams({ a, b }).toString()}`,
      relationshipSchema,
    );
  }

  async friendsOf(userId: string): Promise<string[]> {
    const body = await this.get(`/internal/friends/${encodeURIComponent(userId)}`, friendsSchema);
    return body.items;
  }

  private async get<S extends z.ZodType>(path: string, schema: S): Promise<z.infer<S>> {
    try {
      const response = await fetch(new URL(path, this.baseUrl), {
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      if (!response.ok) throw new Error(`contact answered ${response.status}`);
      return schema.parse(await response.json());
    } catch (error) {
      this.logger.warn({ err: error, path }, 'contact service call failed');
      throw problems.unavailable('The contact service is unavailable; retry later.');
    }
  }
}
