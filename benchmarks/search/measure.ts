/** Search pages as the search service runs them, timed per page, for the seeded bench users. */
import { performance } from 'node:perf_hooks';
import type { Message } from '@messenger/contracts';
import type { Pool } from '@messenger/platform';
import { MessageSearch } from '@messenger/search/message-search';
import { vocabulary } from './seed.js';

export interface QueryKind {
  name: string;
  /** The query of one run (rare words differ run to run). */
  q: () => string;
  /** Pages followed by cursor in one run: 1 is the first page only. */
  pages: number;
  /** Restrict each run to one of the user's chats. */
  oneChat?: boolean;
}

const filler = () => vocabulary.fillerWord(Math.floor(Math.random() * vocabulary.fillerWords));

export const queryKinds: readonly QueryKind[] = [
  { name: `common word "${vocabulary.common}" (30 %)`, q: () => vocabulary.common, pages: 1 },
  {
    name: `common word, pages 1-5 by cursor`,
    q: () => vocabulary.common,
    pages: 5,
  },
  { name: `frequent word "${vocabulary.frequent}" (5 %)`, q: () => vocabulary.frequent, pages: 1 },
  { name: 'rare word (0.012 %)', q: filler, pages: 1 },
  { name: 'common + rare word', q: () => `${vocabulary.common} ${filler()}`, pages: 1 },
  { name: 'international word (1 %)', q: () => 'Straße', pages: 1 },
  { name: 'common word in one chat', q: () => vocabulary.common, pages: 1, oneChat: true },
];

export interface Timing {
  kind: QueryKind;
  /** Milliseconds of each page. */
  times: number[];
  /** Every message returned, for the correctness checks. */
  pagesSeen: Message[][];
}

export async function userChats(pool: Pool, userId: string): Promise<string[]> {
  const { rows } = await pool.query<{ chat_id: string }>(
    'SELECT chat_id FROM chat_members WHERE user_id = $1 ORDER BY chat_id',
    [userId],
  );
  return rows.map((row) => row.chat_id);
}

export async function measure(
  pool: Pool,
  userIds: readonly string[],
  kind: QueryKind,
  runs: number,
  limit = 20,
): Promise<Timing> {
  const chatsOf = new Map<string, string[]>();
  for (const userId of userIds) chatsOf.set(userId, await userChats(pool, userId));
  const times: number[] = [];
  const pagesSeen: Message[][] = [];
  for (let run = 0; run < runs; run++) {
    const userId = userIds[run % userIds.length] ?? '';
    const chats = chatsOf.get(userId) ?? [];
    const chatId = kind.oneChat ? chats[run % chats.length] : undefined;
    const q = kind.q();
    let cursor: string | undefined;
    for (let page = 0; page < kind.pages; page++) {
      const started = performance.now();
      const result = await new MessageSearch(pool).search(userId, {
        q,
        limit,
        ...(chatId ? { chatId } : {}),
        ...(cursor ? { cursor } : {}),
      });
      times.push(performance.now() - started);
      pagesSeen.push(result.items);
      cursor = result.nextCursor ?? undefined;
      if (!cursor) break;
    }
  }
  return { kind, times, pagesSeen };
}

export function percentile(sample: readonly number[], p: number): number {
  const sorted = [...sample].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}
