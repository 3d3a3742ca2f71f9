import { z } from 'zod';
import { idSchema, nicknameSchema } from '@messenger/contracts';
import { pageQuerySchema } from '@messenger/platform';

/** `{nickname}` or `{userId}`, exactly one of them. */
export const sendRequestSchema = z
  .strictObject({ nickname: nicknameSchema.optional(), userId: idSchema.optional() })
  .transform((body, context) => {
    if (body.nickname !== undefined && body.userId === undefined)
      return { nickname: body.nickname };
    if (body.userId !== undefined && body.nickname === undefined) return { userId: body.userId };
    context.addIssue({ code: 'custom', message: 'Give either nickname or userId' });
    return z.NEVER;
  });

export const requestListQuery = pageQuerySchema.extend({
  direction: z.enum(['incoming', 'outgoing']).default('incoming'),
});

export const requestIdParams = z.object({ requestId: idSchema });
export const userIdParams = z.object({ userId: idSchema });
export const relationshipQuery = z.object({ a: idSchema, b: idSchema });
