import { z } from 'zod';
import { idSchema, seqSchema as seq } from '@messenger/contracts';

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
  socketSendPayload,
  renameChatBody,
  roleBody,
  messageParams,
  reactionParams,
  editMessageBody,
  deleteMessageQuery,
} from '@messenger/contracts';

/** The socket events' payloads. */
export const deliveredPayload = z.object({ chatId: idSchema, upToSeq: seq });
export const typingPayload = z.object({ chatId: idSchema, typing: z.boolean() });
/**
 * `afterChangeSeq`: the chat's change order position the device has seen (0 or absent: none);
 * with it, the ack also brings the messages changed since (docs/api.md, "sync").
 */
export const syncPayload = z.object({
  chats: z
    .array(z.object({ chatId: idSchema, afterSeq: seq, afterChangeSeq: seq.optional() }))
    .max(100),
});
