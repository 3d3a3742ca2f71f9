import { z } from 'zod';
import { pageQuerySchema } from '@messenger/platform';

/** Input schemas shared by the HTTP routes and the socket events. */
const seq = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
/** Text a person wrote: no NUL or other C0 controls except tab and line breaks. */
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const text = (max: number) =>
  z
    .string()
    .max(max)
    .refine((value) => value.trim().length > 0, 'must not be empty or only whitespace')
    .refine((value) => !CONTROLS.test(value), 'must not contain control characters');
const querySeq = z.coerce.number().int().max(Number.MAX_SAFE_INTEGER);

export const chatIdParams = z.object({ chatId: z.uuid() });
export const memberParams = z.object({ chatId: z.uuid(), userId: z.uuid() });
export const receiptParams = z.object({ chatId: z.uuid(), messageId: z.uuid() });

export const createChatBody = z.discriminatedUnion('type', [
  z.object({ type: z.literal('direct'), userId: z.uuid() }),
  z.object({
    type: z.literal('group'),
    name: text(100).transform((value) => value.trim()),
    memberIds: z.array(z.uuid()).max(100),
  }),
]);

export const addMemberBody = z.object({ userId: z.uuid() });

export const sendMessageBody = z.object({
  clientMsgId: z.string().trim().min(1).max(100),
  content: text(4000),
  mediaUrl: z
    .url({ protocol: /^https$/ })
    .max(2048)
    .optional(),
});

export const readBody = z.object({ upToSeq: seq });

export const historyQuery = pageQuerySchema.extend({
  afterSeq: querySeq.min(0).optional(),
  beforeSeq: querySeq.min(1).optional(),
});

export const presenceQuery = z.object({
  userIds: z
    .string()
    .min(1)
    .max(4000)
    .transform((value) => [...new Set(value.split(',').map((id) => id.trim()))])
    .pipe(z.array(z.uuid()).min(1).max(100)),
});

export const socketSendPayload = sendMessageBody.extend({ chatId: z.uuid() });
export const deliveredPayload = z.object({ chatId: z.uuid(), upToSeq: seq });
export const typingPayload = z.object({ chatId: z.uuid(), typing: z.boolean() });
export const syncPayload = z.object({
  chats: z.array(z.object({ chatId: z.uuid(), afterSeq: seq })).max(100),
});
