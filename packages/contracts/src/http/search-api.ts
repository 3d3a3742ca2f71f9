import { z } from 'zod';
import { idSchema } from '../ids.js';
import { messageSchema } from '../messaging.js';
import type { Operation } from './operation.js';
import { pageOf } from './page.js';
import { lineText } from './text.js';

export const MESSAGE_SEARCH_QUERY_MAX = 200;
export const MESSAGE_SEARCH_TERMS_MAX = 8;
export const MESSAGE_SEARCH_PAGE_MAX = 50;

/** A word the index holds: a run of letters or digits. */
const WORD = /[\p{L}\p{N}]/u;

export const messageSearchQuerySchema = z.object({
  q: z
    .string()
    .trim()
    .min(1)
    .pipe(lineText(MESSAGE_SEARCH_QUERY_MAX))
    .refine((q) => WORD.test(q), 'Must contain a letter or a digit')
    .refine(
      (q) => q.split(/\s+/).length <= MESSAGE_SEARCH_TERMS_MAX,
      `At most ${MESSAGE_SEARCH_TERMS_MAX} words`,
    )
    .meta({
      maxLength: MESSAGE_SEARCH_QUERY_MAX,
      description: `Words that must all occur in a message (whole words, any case; at most ${MESSAGE_SEARCH_TERMS_MAX})`,
    }),
  chatId: idSchema.optional().meta({ description: 'Only this chat' }),
  limit: z.coerce.number().int().min(1).max(MESSAGE_SEARCH_PAGE_MAX).default(20),
  cursor: z.string().min(1).max(512).optional(),
});
export type MessageSearchQuery = z.infer<typeof messageSearchQuerySchema>;

/** docs/api.md, "Search". */
export const searchOperations = [
  {
    method: 'get',
    path: '/search/messages',
    summary: 'Search the messages of your chats by words, newest first',
    query: messageSearchQuerySchema,
    success: [
      {
        status: 200,
        description: 'Messages of your chats that contain every word',
        body: pageOf(messageSchema),
      },
    ],
    errors: [],
  },
] as const satisfies readonly Operation[];
