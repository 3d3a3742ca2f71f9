import { z } from 'zod';
import { problems } from '@messenger/platform';

const TIMEOUT_MS = 3_000;

const profileRefSchema = z.object({ userId: z.string(), nickname: z.string() });
const batchSchema = z.object({ items: z.array(profileRefSchema) });

export type ProfileRef = z.infer<typeof profileRefSchema>;

/** The profile service's internal endpoints (docs/conventions.md). */
export class ProfileClient {
  constructor(private readonly baseUrl: string) {}

  async byNickname(nickname: string): Promise<ProfileRef | undefined> {
    const response = await this.call(
      `/internal/profiles/by-nickname/${encodeURIComponent(nickname)}`,
    );
    return response === undefined ? undefined : profileRefSchema.parse(response);
  }

  async byIds(userIds: readonly string[]): Promise<Map<string, ProfileRef>> {
    if (userIds.length === 0) return new Map();
    const response = await this.call('/internal/profiles/batch', { userIds });
    const { items } = batchSchema.parse(response);
    return new Map(items.map((profile) => [profile.userId, profile]));
  }

  async exists(userId: string): Promise<boolean> {
    return (await this.byIds([userId])).has(userId);
  }

  /** The JSON answer, or undefined for a 404; anything else is a 503 to our caller. */
  private async call(path: string, body?: unknown): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(new URL(path, this.baseUrl), {
        method: body === undefined ? 'GET' : 'POST',
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? null : JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch {
      throw problems.unavailable('The profile service did not answer.');
    }
    if (response.status === 404) return undefined;
    if (!response.ok) {
      throw problems.unavailable(`The profile service answered ${response.status}.`);
    }
    return response.json();
  }
}
