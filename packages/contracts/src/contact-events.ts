import { z } from 'zod';

/** `data` of the contact events (contact produces them; key = the pair key). */
export const friendshipCreatedData = z.object({
  requestId: z.uuid(),
  fromUserId: z.uuid(),
  toUserId: z.uuid(),
  createdAt: z.iso.datetime(),
});

export const friendshipAcceptedData = z.object({
  requestId: z.uuid(),
  fromUserId: z.uuid(),
  toUserId: z.uuid(),
  since: z.iso.datetime(),
});

/** `userId` ended the friendship with `friendId`. */
export const friendshipRemovedData = z.object({
  userId: z.uuid(),
  friendId: z.uuid(),
  reason: z.enum(['unfriended', 'blocked']),
});

export const userBlockedData = z.object({
  blockerId: z.uuid(),
  blockedId: z.uuid(),
  createdAt: z.iso.datetime(),
});

export const userUnblockedData = z.object({ blockerId: z.uuid(), blockedId: z.uuid() });
