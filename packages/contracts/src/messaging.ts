import { z } from 'zod';
import { idSchema } from './ids.js';

export const memberRoleSchema = z.enum(['admin', 'member']);
export type MemberRole = z.infer<typeof memberRoleSchema>;

/**
 * What a system message records, by `actorId`: a membership change of `subjectId`, a role
 * change of `subjectId` to `role`, or a rename of the group to `name` (and `avatarUrl`).
 */
export const systemEventSchema = z.discriminatedUnion('event', [
  z.object({
    event: z.enum(['joined', 'left', 'removed']),
    actorId: idSchema,
    subjectId: idSchema,
  }),
  z.object({
    event: z.literal('role_changed'),
    actorId: idSchema,
    subjectId: idSchema,
    role: memberRoleSchema,
  }),
  z.object({
    event: z.literal('renamed'),
    actorId: idSchema,
    name: z.string(),
    avatarUrl: z.string().nullable(),
  }),
]);
export type SystemEvent = z.infer<typeof systemEventSchema>;

/** One emoji's reactions on a message: how many, and whether the reader is among them. */
export const reactionSchema = z.object({
  emoji: z.string(),
  count: z.number().int().positive(),
  me: z.boolean(),
});
export type Reaction = z.infer<typeof reactionSchema>;

/** The message a reply quotes, as it is now: the snippet follows its edits and is empty once deleted. */
export const replyToSchema = z.object({
  id: idSchema,
  seq: z.number().int().positive(),
  senderId: idSchema,
  snippet: z.string(),
  deleted: z.boolean(),
});
export type ReplyTo = z.infer<typeof replyToSchema>;

/** A file on a message; `url` is signed and expires (only members ever receive it). */
export const attachmentSchema = z.object({
  id: idSchema,
  mimeType: z.string(),
  size: z.number().int().positive(),
  width: z.number().int().positive().optional(),
  height: z.number().int().positive().optional(),
  url: z.string(),
});
export type Attachment = z.infer<typeof attachmentSchema>;

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
  editedAt: null,
  deleted: false,
  reactions: [{ emoji: '👍', count: 2, me: true }],
  replyTo: null,
  attachments: [],
};

/**
 * A stored message as clients see it (docs/api.md, "Chats and messages"). A system message
 * (`type: "system"`) takes its seq like any message; its `senderId` is the actor and its content
 * is empty. A message deleted for everyone keeps its seq as a tombstone: `deleted: true`,
 * `content: null`, no media. The fields added with edits, reactions, replies and attachments
 * have defaults, so events stored before them still parse.
 */
export const messageSchema = z
  .object({
    id: idSchema,
    chatId: idSchema,
    seq: z.number().int().positive(),
    type: z.enum(['user', 'system']),
    senderId: idSchema,
    clientMsgId: z.string().min(1),
    content: z.string().nullable(),
    mediaUrl: z.string().nullable(),
    system: systemEventSchema.optional(),
    createdAt: z.iso.datetime(),
    editedAt: z.iso.datetime().nullable().default(null),
    deleted: z.boolean().default(false),
    reactions: z.array(reactionSchema).default([]),
    replyTo: replyToSchema.nullable().default(null),
    attachments: z.array(attachmentSchema).default([]),
  })
  .meta({ examples: [exampleMessage] });
export type Message = z.infer<typeof messageSchema>;

export const chatTypeSchema = z.enum(['direct', 'group']);
export type ChatType = z.infer<typeof chatTypeSchema>;
export const chatMemberSchema = z.object({ userId: idSchema, role: memberRoleSchema });
export type ChatMember = z.infer<typeof chatMemberSchema>;

/** A chat as one member sees it: `unreadCount` is that member's. */
export const chatSchema = z
  .object({
    id: idSchema,
    type: chatTypeSchema,
    name: z.string().nullable(),
    avatarUrl: z.string().nullable().default(null),
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
        avatarUrl: null,
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
  recipientIds: z.array(idSchema),
});
export type MessageSentData = z.infer<typeof messageSentDataSchema>;

/** `message.seen`: a member's delivered or read mark advanced; `recipientIds` get the receipt. */
export const messageSeenDataSchema = z.object({
  chatId: idSchema,
  userId: idSchema,
  kind: z.enum(['delivered', 'read']),
  upToSeq: z.number().int().nonnegative(),
  at: z.iso.datetime(),
  recipientIds: z.array(idSchema),
});
export type MessageSeenData = z.infer<typeof messageSeenDataSchema>;

/**
 * `message.edited` and `message.deleted`: the message as it is after the change, at position
 * `changeSeq` of the chat's change order (docs/api.md, "Changing messages"); `recipientIds` get
 * it live. `reactors` are the users behind each emoji of the message, so each recipient is told
 * whether they are among them (the message's `reactions[].me` is false here).
 */
export const messageChangedDataSchema = z.object({
  message: messageSchema,
  changeSeq: z.number().int().positive(),
  recipientIds: z.array(idSchema),
  reactors: z.record(z.string(), z.array(idSchema)),
});
export type MessageChangedData = z.infer<typeof messageChangedDataSchema>;

/** `message.reacted`: `userId` added or took back `emoji`. */
export const messageReactedDataSchema = messageChangedDataSchema.extend({
  userId: idSchema,
  emoji: z.string(),
  added: z.boolean(),
});
export type MessageReactedData = z.infer<typeof messageReactedDataSchema>;

/** `chat.member_role_changed`: an admin made `userId` an admin or a member. */
export const chatMemberRoleChangedDataSchema = z.object({
  chatId: idSchema,
  userId: idSchema,
  role: memberRoleSchema,
  actorId: idSchema,
  seq: z.number().int().positive(),
});

/** `chat.renamed`: an admin renamed the group or changed its avatar. */
export const chatRenamedDataSchema = z.object({
  chatId: idSchema,
  name: z.string(),
  avatarUrl: z.string().nullable(),
  actorId: idSchema,
  seq: z.number().int().positive(),
});
