import { z } from 'zod';

/** What a system message records: a membership change, by `actorId`, of `subjectId`. */
export const systemEventSchema = z.object({
  event: z.enum(['joined', 'left', 'removed']),
  actorId: z.uuid(),
  subjectId: z.uuid(),
});
export type SystemEvent = z.infer<typeof systemEventSchema>;

const exampleMessage = {
  id: '3f2504e0-4f89-41d3-9a0c-0305e82c3301',
  chatId: 'c56a4180-65aa-42ec-a945-5fd21dec0538',
  seq: 42,
  type: 'user',
  senderId: '1b4e28ba-2fa1-41d2-883f-0016d3cca427',
  clientMsgId: 'web-7f3a',
  content: 'See you at ten?',
  mediaUrl: null,
  createdAt: '2026-11-21T10:00:00.000Z',
};

/**
 * A stored message as clients see it (docs/api.md, "Chats and messages"). A system message
 * (`type: "system"`) takes its seq like any message; its `senderId` is the actor and its content
 * is empty.
 */
export const messageSchema = z
  .object({
    id: z.uuid(),
    chatId: z.uuid(),
    seq: z.number().int().positive(),
    type: z.enum(['user', 'system']),
    senderId: z.uuid(),
    clientMsgId: z.string().min(1),
    content: z.string(),
    mediaUrl: z.string().nullable(),
    system: systemEventSchema.optional(),
    createdAt: z.iso.datetime(),
  })
  .meta({ examples: [exampleMessage] });
export type Message = z.infer<typeof messageSchema>;

export const chatTypeSchema = z.enum(['direct', 'group']);
export type ChatType = z.infer<typeof chatTypeSchema>;
export const memberRoleSchema = z.enum(['admin', 'member']);
export type MemberRole = z.infer<typeof memberRoleSchema>;

export const chatMemberSchema = z.object({ userId: z.uuid(), role: memberRoleSchema });
export type ChatMember = z.infer<typeof chatMemberSchema>;

/** A chat as one member sees it: `unreadCount` is that member's. */
export const chatSchema = z
  .object({
    id: z.uuid(),
    type: chatTypeSchema,
    name: z.string().nullable(),
    members: z.array(chatMemberSchema),
    createdAt: z.iso.datetime(),
    lastMessage: messageSchema.nullable(),
    unreadCount: z.number().int().nonnegative(),
    lastSeq: z.number().int().nonnegative(),
  })
  .meta({
    examples: [
      {
        id: exampleMessage.chatId,
        type: 'direct',
        name: null,
        members: [
          { userId: exampleMessage.senderId, role: 'member' },
          { userId: '9a1f8c3e-5b7d-4e2a-8f6c-0d3b2a1e4f5c', role: 'member' },
        ],
        createdAt: '2026-11-20T09:00:00.000Z',
        lastMessage: exampleMessage,
        unreadCount: 1,
        lastSeq: 42,
      },
    ],
  });
export type Chat = z.infer<typeof chatSchema>;

export type ReceiptKind = 'delivered' | 'read';

/** The `message:receipt` socket payload. */
export interface Receipt {
  chatId: string;
  userId: string;
  upToSeq: number;
  kind: ReceiptKind;
  at: string;
}

/** The `presence` socket payload and one entry of `GET /presence`. */
export const presenceStatusSchema = z.object({
  online: z.boolean(),
  lastSeenAt: z.iso.datetime().nullable(),
});
export type PresenceStatus = z.infer<typeof presenceStatusSchema>;

/** `message.sent`: the stored message and the chat's members as it was relayed (who get it live). */
export const messageSentDataSchema = z.object({
  message: messageSchema,
  recipientIds: z.array(z.uuid()),
});
export type MessageSentData = z.infer<typeof messageSentDataSchema>;

/** `message.seen`: a member's delivered or read mark advanced; `recipientIds` get the receipt. */
export const messageSeenDataSchema = z.object({
  chatId: z.uuid(),
  userId: z.uuid(),
  kind: z.enum(['delivered', 'read']),
  upToSeq: z.number().int().nonnegative(),
  at: z.iso.datetime(),
  recipientIds: z.array(z.uuid()),
});
export type MessageSeenData = z.infer<typeof messageSeenDataSchema>;
