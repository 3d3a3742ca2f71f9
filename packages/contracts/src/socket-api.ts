import { z } from 'zod';
import { seqSchema } from './http/chat-api.js';
import { idSchema } from './ids.js';
import {
  messageSchema,
  type Chat,
  type Message,
  type PresenceStatus,
  type Receipt,
} from './messaging.js';

/*
 * The Socket.IO events of docs/api.md, "Real time": what a client emits (validated by messaging
 * with these schemas), what each ack answers, and what the server pushes. `message:send` is
 * socketSendPayload of http/chat-api.ts, the REST send with its chat.
 */

export const deliveredPayload = z.object({ chatId: idSchema, upToSeq: seqSchema });
export const typingPayload = z.object({ chatId: idSchema, typing: z.boolean() });
/**
 * `afterChangeSeq`: the chat's change order position the device has seen (0 or absent: none);
 * with it, the ack also brings the messages changed since. `afterHideSeq`: likewise for the
 * user's own deletes for themselves (docs/api.md, "sync").
 */
export const syncPayload = z.object({
  chats: z
    .array(
      z.object({
        chatId: idSchema,
        afterSeq: seqSchema,
        afterChangeSeq: seqSchema.optional(),
        afterHideSeq: seqSchema.optional(),
      }),
    )
    .max(100),
});
export type SyncRequest = z.infer<typeof syncPayload>['chats'][number];

/** Where a device stands in one chat after a sync; `more`: sync again from there. */
export const syncCursorSchema = z.object({
  chatId: idSchema,
  upToSeq: seqSchema,
  changeSeq: seqSchema,
  /** Where the user's deletes for themselves in the chat stand, as `changeSeq` for changes. */
  hideSeq: seqSchema,
  more: z.boolean(),
});
export type SyncCursor = z.infer<typeof syncCursorSchema>;

export const syncAckSchema = z.object({
  messages: z.array(messageSchema),
  /**
   * Messages at or before the device's `afterSeq` changed after its `afterChangeSeq`, or deleted
   * by the user for themselves after its `afterHideSeq` (as tombstones).
   */
  updated: z.array(messageSchema),
  chats: z.array(syncCursorSchema),
});
export type SyncAck = z.infer<typeof syncAckSchema>;

/** What an ack answers when the event was refused; `retryAfterMs` when it may be sent again then. */
export const errorAckSchema = z.object({
  error: z.object({ code: z.string(), detail: z.string() }),
  retryAfterMs: z.number().nonnegative().optional(),
});
export type ErrorAck = z.infer<typeof errorAckSchema>;

/** Server → client events. */
export interface ServerToClientEvents {
  'message:new': (message: Message) => void;
  /** An edit, a delete or a reaction change; `changeSeq` null for a delete for oneself. */
  'message:updated': (update: { message: Message; changeSeq: number | null }) => void;
  'message:receipt': (receipt: Receipt) => void;
  typing: (event: { chatId: string; userId: string; typing: boolean }) => void;
  presence: (event: { userId: string } & PresenceStatus) => void;
  'chat:updated': (chat: Chat) => void;
}
