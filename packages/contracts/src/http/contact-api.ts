import { z } from 'zod';
import { idSchema } from '../ids.js';
import { nicknameSchema } from '../profile.js';
import { storedNicknameSchema } from './auth-api.js';
import { errors } from './errors.js';
import type { Operation } from './operation.js';
import { pageOf, pageQuerySchema } from './page.js';
import { userIdParamsSchema } from './profile-api.js';
import { timeSchema } from './text.js';

export const friendRequestSchema = z
  .object({
    id: idSchema,
    fromUserId: idSchema,
    toUserId: idSchema,
    status: z.enum(['pending', 'accepted', 'rejected']),
    createdAt: timeSchema,
  })
  .meta({
    examples: [
      {
        id: '6ec0bd7f-11c0-43da-975e-2a8ad9ebae0b',
        fromUserId: '1b4e28ba-2fa1-41d2-883f-0016d3cca427',
        toUserId: '9a1f8c3e-5b7d-4e2a-8f6c-0d3b2a1e4f5c',
        status: 'pending',
        createdAt: '2026-11-21T10:00:00.000Z',
      },
    ],
  });

export type FriendRequest = z.infer<typeof friendRequestSchema>;
export type RequestStatus = FriendRequest['status'];

export const friendSchema = z.object({
  userId: idSchema,
  /** Null only while the friend's profile is missing from the profile service. */
  nickname: storedNicknameSchema.nullable(),
  since: timeSchema,
});

export type Friend = z.infer<typeof friendSchema>;

export const blockSchema = z.object({ userId: idSchema, createdAt: timeSchema });
export type BlockEntry = z.infer<typeof blockSchema>;

/** `{nickname}` or `{userId}`, exactly one of them. */
export const sendRequestBodySchema = z
  .strictObject({ nickname: nicknameSchema.optional(), userId: idSchema.optional() })
  .transform((body, context) => {
    if (body.nickname !== undefined && body.userId === undefined)
      return { nickname: body.nickname };
    if (body.userId !== undefined && body.nickname === undefined) return { userId: body.userId };
    context.addIssue({ code: 'custom', message: 'Give either nickname or userId' });
    return z.NEVER;
  })
  .meta({ minProperties: 1, maxProperties: 1 });

export const requestListQuerySchema = pageQuerySchema.extend({
  direction: z.enum(['incoming', 'outgoing']).default('incoming'),
});
export const requestIdParamsSchema = z.object({ requestId: idSchema });

const request = (status: number, description: string) => ({
  status,
  description,
  body: friendRequestSchema,
});

/** docs/api.md, "Friends and blocks". */
export const contactOperations = [
  {
    method: 'post',
    path: '/friends/requests',
    summary: 'Send a friend request',
    body: sendRequestBodySchema,
    success: [
      request(201, 'The pending request; emits `friendship.created`'),
      request(200, "The target's own pending request to you, now accepted"),
    ],
    errors: [
      errors.blocked,
      errors.notFound,
      errors.alreadyFriends,
      errors.requestPending,
      errors.selfRequest,
      errors.upstreamUnavailable,
    ],
  },
  {
    method: 'get',
    path: '/friends/requests',
    summary: 'Your pending requests',
    query: requestListQuerySchema,
    success: [{ status: 200, description: 'Pending requests', body: pageOf(friendRequestSchema) }],
    errors: [],
  },
  {
    method: 'post',
    path: '/friends/requests/{requestId}/accept',
    summary: 'Accept a request',
    params: requestIdParamsSchema,
    success: [request(200, 'Accepted; emits `friendship.accepted`')],
    errors: [errors.notFound, errors.requestNotPending],
  },
  {
    method: 'post',
    path: '/friends/requests/{requestId}/reject',
    summary: 'Reject a request',
    params: requestIdParamsSchema,
    success: [request(200, 'Rejected')],
    errors: [errors.notFound, errors.requestNotPending],
  },
  {
    method: 'delete',
    path: '/friends/requests/{requestId}',
    summary: 'Cancel a request you sent',
    params: requestIdParamsSchema,
    success: [{ status: 204, description: 'Cancelled' }],
    errors: [errors.notFound, errors.requestNotPending],
  },
  {
    method: 'get',
    path: '/friends',
    summary: 'Your friends',
    query: pageQuerySchema,
    success: [{ status: 200, description: 'Your friends', body: pageOf(friendSchema) }],
    errors: [errors.upstreamUnavailable],
  },
  {
    method: 'delete',
    path: '/friends/{userId}',
    summary: 'Remove a friend',
    params: userIdParamsSchema,
    success: [{ status: 204, description: 'Removed; emits `friendship.removed`' }],
    errors: [errors.notFound],
  },
  {
    method: 'post',
    path: '/blocks/{userId}',
    summary: 'Block a user',
    params: userIdParamsSchema,
    success: [{ status: 201, description: 'Blocked; ends a friendship', body: blockSchema }],
    errors: [errors.notFound, errors.selfBlock, errors.alreadyBlocked, errors.upstreamUnavailable],
  },
  {
    method: 'delete',
    path: '/blocks/{userId}',
    summary: 'Unblock a user',
    params: userIdParamsSchema,
    success: [{ status: 204, description: 'Unblocked' }],
    errors: [errors.notFound],
  },
  {
    method: 'get',
    path: '/blocks',
    summary: 'Users you block',
    query: pageQuerySchema,
    success: [{ status: 200, description: 'Your blocks', body: pageOf(blockSchema) }],
    errors: [],
  },
] as const satisfies readonly Operation[];
