import { z } from 'zod';
import { sendMessageBody, seqSchema as seq } from '@messenger/contracts';

/** The HTTP inputs are the contracts' (packages/contracts/src/http/chat-api.ts). */
export {
  addMemberBody,
  chatIdParams,
  createChatBody,
  historyQuery,
  memberParams,
  presenceQuery,
  readBody,
  receiptParams,
  sendMessageBody,
} from '@messenger/contracts';

/** The socket events' payloads. */
export const socketSendPayload = sendMessageBody.extend({ chatId: z.uuid() });
export const deliveredPayload = z.object({ chatId: z.uuid(), upToSeq: seq });
export const typingPayload = z.object({ chatId: z.uuid(), typing: z.boolean() });
export const syncPayload = z.object({
  chats: z.array(z.object({ chatId: z.uuid(), afterSeq: seq })).max(100),
});
