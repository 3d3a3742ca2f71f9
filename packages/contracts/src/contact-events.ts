import { z } from 'zod';
import { idSchema } from './ids.js';

/** `data` of the contact events (contact produces them; key = the pair key). */
export const friendshipCreatedData = z.object({
  requestId: idSchema,
  fromUserId: idSchema,
  toUserId: idSchema,
  createdAt: z.iso.datetime(),
});

export const friendshipAcceptedData = z.object({
  requestId: idSchema,
  fromUserId: idSchema,
  toUserId: idSchema,
  since: z.iso.datetime(),
});

/** `userId` ended the friendship with `friendId`. */
export const friendshipRemovedData = z.object({
  userId: idSchema,
  friendId: idSchema,
  reason: z.enum(['unfriended', 'blocked']),
});

export const userBlockedData = z.object({
  blockerId: idSchema,
  blockedId: idSchema,
  createdAt: z.iso.datetime(),
});

export const userUnblockedData = z.object({ blockerId: idSchema, blockedId: idSchema });
