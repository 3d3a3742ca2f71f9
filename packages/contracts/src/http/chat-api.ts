import { z } from 'zod';
import { idSchema } from '../ids.js';
import { chatSchema, memberRoleSchema, messageSchema, presenceStatusSchema } from '../messaging.js';
import { errors } from './errors.js';
import { attachmentErrors } from './upload-api.js';
import type { Operation } from './operation.js';
import { pageOf, pageQuerySchema } from './page.js';

/** A position in a chat's log: 0 (nothing yet) or a message's seq. */
export const seqSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
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

export const chatIdParams = z.object({ chatId: idSchema });
export const memberParams = z.object({ chatId: idSchema, userId: idSchema });
export const receiptParams = z.object({ chatId: idSchema, messageId: idSchema });

export const createChatBody = z.discriminatedUnion('type', [
  z.object({ type: z.literal('direct'), userId: idSchema }),
  z.object({
    type: z.literal('group'),
    name: text(100).transform((value) => value.trim()),
    memberIds: z.array(idSchema).max(100),
  }),
]);

export const addMemberBody = z.object({ userId: idSchema });

/** At most this many attachments on one message. */
export const MAX_ATTACHMENTS = 10;

/** A message's text: required, unless the message carries attachments (a photo without a caption). */
const hasContent = (body: { content: string; attachmentIds?: string[] | undefined }) =>
  body.content !== '' || (body.attachmentIds?.length ?? 0) > 0;
const contentRequired = {
  message: 'content is required unless the message has attachments',
  path: ['content'],
};

/** The fields of a send; `sendMessageBody` adds the rule that a message is not empty. */
export const sendMessageFields = z.object({
  clientMsgId: z.string().trim().min(1).max(100),
  content: z.union([z.literal(''), text(4000)]).default(''),
  mediaUrl: z
    .url({ protocol: /^https$/ })
    .max(2048)
    .optional(),
  replyToId: idSchema.optional(),
  attachmentIds: z.array(idSchema).max(MAX_ATTACHMENTS).optional(),
});
export const sendMessageBody = sendMessageFields.refine(hasContent, contentRequired);
/** `message:send` on the socket: a send with its chat. */
export const socketSendPayload = sendMessageFields
  .extend({ chatId: idSchema })
  .refine(hasContent, contentRequired);

export const renameChatBody = z
  .object({
    name: text(100)
      .transform((value) => value.trim())
      .optional(),
    avatarUrl: z
      .url({ protocol: /^https$/ })
      .max(2048)
      .nullable()
      .optional(),
  })
  .refine((body) => body.name !== undefined || body.avatarUrl !== undefined, {
    message: 'name or avatarUrl is required',
  });

export const roleBody = z.object({ role: memberRoleSchema });

export const readBody = z.object({ upToSeq: seqSchema });

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
    .pipe(z.array(idSchema).min(1).max(100))
    .meta({ description: 'Comma-separated user ids (at most 100)' }),
});

const receipt = z.object({ userId: idSchema, at: z.iso.datetime() });
export const receiptsSchema = z.object({
  deliveredTo: z.array(receipt),
  readBy: z.array(receipt),
});

export const presenceSchema = z.object({
  statuses: z.record(idSchema, presenceStatusSchema),
});

const chat = (status: number, description: string) => ({ status, description, body: chatSchema });
const message = (status: number, description: string) => ({
  status,
  description,
  body: messageSchema,
});

/** docs/api.md, "Chats and messages". */
export const chatOperations = [
  {
    method: 'post',
    path: '/chats',
    summary: 'Create a direct or group chat',
    body: createChatBody,
    success: [chat(201, 'The new chat'), chat(200, 'The existing direct chat of the two')],
    errors: [errors.blocked, errors.notFriends, errors.upstreamUnavailable],
  },
  {
    method: 'get',
    path: '/chats',
    summary: 'Your conversations, most recent first',
    query: pageQuerySchema,
    success: [{ status: 200, description: 'Your chats', body: pageOf(chatSchema) }],
    errors: [],
  },
  {
    method: 'get',
    path: '/chats/{chatId}',
    summary: 'One chat',
    params: chatIdParams,
    success: [chat(200, 'The chat')],
    errors: [errors.notFound],
  },
  {
    method: 'post',
    path: '/chats/{chatId}/members',
    summary: 'Add a member (group admins)',
    params: chatIdParams,
    body: addMemberBody,
    success: [chat(200, 'The chat with its new member')],
    errors: [
      errors.blocked,
      errors.notFriends,
      errors.notAdmin,
      errors.notAGroup,
      errors.notFound,
      errors.groupFull,
      errors.upstreamUnavailable,
    ],
  },
  {
    method: 'patch',
    path: '/chats/{chatId}',
    summary: 'Rename the group or change its avatar (group admins)',
    params: chatIdParams,
    body: renameChatBody,
    success: [chat(200, 'The chat after the change')],
    errors: [errors.notAdmin, errors.notAGroup, errors.notFound],
  },
  {
    method: 'put',
    path: '/chats/{chatId}/members/{userId}/role',
    summary: "Change a member's role (group admins)",
    params: memberParams,
    body: roleBody,
    success: [chat(200, 'The chat after the change')],
    errors: [errors.notAdmin, errors.notAGroup, errors.notFound, errors.lastAdmin],
  },
  {
    method: 'delete',
    path: '/chats/{chatId}/members/{userId}',
    summary: 'Remove a member or leave',
    params: memberParams,
    success: [{ status: 204, description: 'Removed' }],
    errors: [errors.notAdmin, errors.notAGroup, errors.notFound],
  },
  {
    method: 'post',
    path: '/chats/{chatId}/messages',
    summary: 'Send a message',
    params: chatIdParams,
    body: sendMessageBody,
    success: [
      message(201, 'The stored message'),
      message(200, 'The message stored before under this clientMsgId'),
    ],
    errors: [
      errors.blocked,
      errors.notFriends,
      errors.notFound,
      errors.replyNotFound,
      attachmentErrors.attachmentNotFound,
      attachmentErrors.attachmentNotUploaded,
      attachmentErrors.attachmentTaken,
      errors.unavailable,
      errors.upstreamUnavailable,
    ],
  },
  {
    method: 'get',
    path: '/chats/{chatId}/messages',
    summary: 'Message history in seq order',
    params: chatIdParams,
    query: historyQuery,
    success: [{ status: 200, description: 'Messages', body: pageOf(messageSchema) }],
    errors: [errors.notFound],
  },
  {
    method: 'post',
    path: '/chats/{chatId}/read',
    summary: 'Mark messages read up to a seq',
    params: chatIdParams,
    body: readBody,
    success: [{ status: 204, description: 'Marked; emits `message.seen`' }],
    errors: [errors.notFound, errors.unavailable],
  },
  {
    method: 'get',
    path: '/chats/{chatId}/messages/{messageId}/receipts',
    summary: 'Delivery and read receipts',
    params: receiptParams,
    success: [{ status: 200, description: 'Receipts', body: receiptsSchema }],
    errors: [errors.notFound],
  },
  {
    method: 'get',
    path: '/presence',
    summary: "Your friends' presence",
    query: presenceQuery,
    success: [
      { status: 200, description: 'Presence of those who are your friends', body: presenceSchema },
    ],
    errors: [errors.upstreamUnavailable],
  },
] as const satisfies readonly Operation[];
