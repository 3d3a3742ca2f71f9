import { z } from 'zod';
import { idSchema } from '../ids.js';
import { messageSchema } from '../messaging.js';
import { chatIdParams, receiptParams } from './chat-api.js';
import { errors } from './errors.js';
import type { Operation } from './operation.js';
import { multilineText } from './text.js';

/** How many distinct emoji one message may carry, and how many messages a chat may pin. */
export const MAX_DISTINCT_REACTIONS = 20;
export const MAX_PINS = 50;

/**
 * One emoji: a pictograph or a flag, with its variation selectors, skin-tone modifiers and
 * zero-width-joined parts (👍, 👍🏽, ❤️, 👩‍💻, 🇩🇪).
 */
const EMOJI =
  /^(?:\p{Regional_Indicator}{2}|\p{Extended_Pictographic}\uFE0F?\p{Emoji_Modifier}?(?:\u200D\p{Extended_Pictographic}\uFE0F?\p{Emoji_Modifier}?)*)$/u;
// A refinement, not a pattern: the Unicode property escapes are JavaScript's, and OpenAPI
// tools (schemathesis) cannot generate from them.
export const emojiSchema = z
  .string()
  .min(1)
  .max(32)
  .refine((value) => EMOJI.test(value), 'must be one emoji')
  .meta({ examples: ['👍'] });

export const messageParams = receiptParams;
export const reactionParams = receiptParams.extend({ emoji: emojiSchema });

export const editMessageBody = z.object({
  content: multilineText(4000).refine(
    (value) => value.trim().length > 0,
    'must not be empty or only whitespace',
  ),
});

export const deleteMessageQuery = z.object({
  for: z.enum(['everyone', 'me']).meta({
    description: '`everyone`: the author, or an admin in a group; `me`: hidden for you alone',
  }),
});

export const pinSchema = z.object({
  message: messageSchema,
  pinnedBy: idSchema,
  pinnedAt: z.iso.datetime(),
});
export const pinsSchema = z.object({ items: z.array(pinSchema).max(MAX_PINS) });

/** docs/api.md, "Changing messages": edits, deletes, reactions and pins. */
export const messageChangeOperations = [
  {
    method: 'patch',
    path: '/chats/{chatId}/messages/{messageId}',
    summary: 'Edit your message (inside the edit window)',
    params: messageParams,
    body: editMessageBody,
    success: [{ status: 200, description: 'The message with `editedAt`', body: messageSchema }],
    errors: [
      errors.notAuthor,
      errors.editWindowPassed,
      errors.notFound,
      errors.messageDeleted,
      errors.unavailable,
    ],
  },
  {
    method: 'delete',
    path: '/chats/{chatId}/messages/{messageId}',
    summary: 'Delete a message for everyone (a tombstone keeps its seq) or for yourself',
    params: messageParams,
    query: deleteMessageQuery,
    success: [{ status: 204, description: 'Deleted' }],
    errors: [errors.notAuthor, errors.notFound, errors.unavailable],
  },
  {
    method: 'put',
    path: '/chats/{chatId}/messages/{messageId}/reactions/{emoji}',
    summary: 'React with an emoji (idempotent)',
    params: reactionParams,
    success: [{ status: 204, description: 'Reacted' }],
    errors: [
      errors.blocked,
      errors.notFriends,
      errors.notFound,
      errors.messageDeleted,
      errors.reactionLimit,
      errors.unavailable,
      errors.upstreamUnavailable,
    ],
  },
  {
    method: 'delete',
    path: '/chats/{chatId}/messages/{messageId}/reactions/{emoji}',
    summary: 'Take your reaction back (idempotent)',
    params: reactionParams,
    success: [{ status: 204, description: 'Removed' }],
    errors: [errors.notFound, errors.unavailable],
  },
  {
    method: 'get',
    path: '/chats/{chatId}/pins',
    summary: 'Pinned messages, latest pin first',
    params: chatIdParams,
    success: [{ status: 200, description: 'The pins', body: pinsSchema }],
    errors: [errors.notFound],
  },
  {
    method: 'put',
    path: '/chats/{chatId}/pins/{messageId}',
    summary: 'Pin a message (group admins; either member of a direct chat)',
    params: messageParams,
    success: [{ status: 204, description: 'Pinned' }],
    errors: [errors.notAdmin, errors.notFound, errors.messageDeleted, errors.pinLimit],
  },
  {
    method: 'delete',
    path: '/chats/{chatId}/pins/{messageId}',
    summary: 'Unpin a message',
    params: messageParams,
    success: [{ status: 204, description: 'Unpinned' }],
    errors: [errors.notAdmin, errors.notFound],
  },
] as const satisfies readonly Operation[];
