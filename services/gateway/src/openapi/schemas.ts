/** JSON Schemas (OpenAPI 3.1) of the docs/api.md shapes. */
type Schema = Record<string, unknown>;

const uuid: Schema = { type: 'string', format: 'uuid' };
const time: Schema = { type: 'string', format: 'date-time' };
const https: Schema = { type: 'string', format: 'uri', pattern: '^https://' };
const nickname: Schema = { type: 'string', minLength: 3, maxLength: 32, pattern: '^[a-z0-9_.]+$' };
const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const object = (
  properties: Record<string, Schema>,
  required = Object.keys(properties),
): Schema => ({
  type: 'object',
  properties,
  required,
});
export const pageOf = (item: string): Schema =>
  object({ items: { type: 'array', items: ref(item) }, nextCursor: { type: ['string', 'null'] } });

export const schemas: Record<string, Schema> = {
  Problem: {
    ...object(
      {
        type: { type: 'string' },
        title: { type: 'string' },
        status: { type: 'integer' },
        detail: { type: 'string' },
        code: { type: 'string' },
        errors: {
          type: 'array',
          items: object({ path: { type: 'string' }, message: { type: 'string' } }),
        },
      },
      ['type', 'title', 'status', 'detail', 'code'],
    ),
  },
  User: object({
    id: uuid,
    email: { type: 'string', format: 'email' },
    nickname,
    emailVerified: { type: 'boolean' },
  }),
  AuthResult: object({
    user: ref('User'),
    accessToken: { type: 'string' },
    refreshToken: { type: 'string' },
    tokenType: { const: 'Bearer' },
    expiresIn: { type: 'integer', description: 'seconds' },
  }),
  Session: object({
    id: uuid,
    createdAt: time,
    lastUsedAt: time,
    userAgent: { type: ['string', 'null'] },
    ip: { type: ['string', 'null'] },
    current: { type: 'boolean' },
  }),
  Profile: object({
    userId: uuid,
    nickname,
    displayName: { type: ['string', 'null'] },
    bio: { type: ['string', 'null'], maxLength: 500 },
    avatarUrl: { oneOf: [https, { type: 'null' }] },
    createdAt: time,
    updatedAt: time,
  }),
  FriendRequest: object({
    id: uuid,
    fromUserId: uuid,
    toUserId: uuid,
    status: { enum: ['pending', 'accepted', 'rejected'] },
    createdAt: time,
  }),
  Friend: object({ userId: uuid, nickname, since: time }),
  Block: object({ userId: uuid, createdAt: time }, ['userId']),
  Member: object({ userId: uuid, role: { enum: ['admin', 'member'] } }),
  Message: object({
    id: uuid,
    chatId: uuid,
    seq: { type: 'integer', minimum: 1 },
    senderId: uuid,
    clientMsgId: { type: 'string' },
    content: { type: 'string', minLength: 1, maxLength: 4000 },
    mediaUrl: { oneOf: [https, { type: 'null' }] },
    createdAt: time,
  }),
  Chat: object({
    id: uuid,
    type: { enum: ['direct', 'group'] },
    name: { type: ['string', 'null'] },
    members: { type: 'array', items: ref('Member') },
    createdAt: time,
    lastMessage: { oneOf: [ref('Message'), { type: 'null' }] },
    unreadCount: { type: 'integer', minimum: 0 },
    lastSeq: { type: 'integer', minimum: 0 },
  }),
  Receipts: object({
    deliveredTo: { type: 'array', items: object({ userId: uuid, at: time }) },
    readBy: { type: 'array', items: object({ userId: uuid, at: time }) },
  }),
  Presence: object({
    statuses: {
      type: 'object',
      additionalProperties: object({
        online: { type: 'boolean' },
        lastSeenAt: { type: ['string', 'null'], format: 'date-time' },
      }),
    },
  }),
};

export const requestBodies: Record<string, Schema> = {
  'post /auth/register': object({
    email: { type: 'string', format: 'email' },
    password: { type: 'string', minLength: 8, maxLength: 128 },
    nickname,
  }),
  'post /auth/login': object({
    email: { type: 'string', format: 'email' },
    password: { type: 'string' },
  }),
  'post /auth/refresh': object({ refreshToken: { type: 'string' } }),
  'post /auth/logout': object({ refreshToken: { type: 'string' } }, []),
  'post /auth/verify-email': object({ token: { type: 'string' } }),
  'patch /profiles/me': object(
    {
      nickname,
      displayName: { type: 'string' },
      bio: { type: 'string', maxLength: 500 },
      avatarUrl: https,
    },
    [],
  ),
  'post /friends/requests': { oneOf: [object({ nickname }), object({ userId: uuid })] },
  'post /chats': {
    oneOf: [
      object({ type: { const: 'direct' }, userId: uuid }),
      object({
        type: { const: 'group' },
        name: { type: 'string' },
        memberIds: { type: 'array', items: uuid },
      }),
    ],
  },
  'post /chats/{chatId}/members': object({ userId: uuid }),
  'post /chats/{chatId}/messages': object(
    {
      clientMsgId: { type: 'string' },
      content: { type: 'string', minLength: 1, maxLength: 4000 },
      mediaUrl: https,
    },
    ['clientMsgId', 'content'],
  ),
  'post /chats/{chatId}/read': object({ upToSeq: { type: 'integer', minimum: 0 } }),
};

/** Success status and body schema of each operation (no body for 204/302). */
export const responses: Record<string, [number, Schema?]> = {
  'post /auth/register': [201, ref('AuthResult')],
  'post /auth/login': [200, ref('AuthResult')],
  'post /auth/refresh': [200, ref('AuthResult')],
  'post /auth/logout': [204],
  'get /auth/google': [302],
  'get /auth/google/callback': [302],
  'post /auth/verify-email': [204],
  'post /auth/verify-email/resend': [202],
  'get /sessions': [200, object({ items: { type: 'array', items: ref('Session') } })],
  'delete /sessions': [204],
  'delete /sessions/{sessionId}': [204],
  'get /profiles/me': [200, ref('Profile')],
  'patch /profiles/me': [200, ref('Profile')],
  'get /profiles/by-nickname/{nickname}': [200, ref('Profile')],
  'get /profiles/{userId}': [200, ref('Profile')],
  'get /profiles': [200, pageOf('Profile')],
  'post /friends/requests': [201, ref('FriendRequest')],
  'get /friends/requests': [200, pageOf('FriendRequest')],
  'post /friends/requests/{requestId}/accept': [200, ref('FriendRequest')],
  'post /friends/requests/{requestId}/reject': [200, ref('FriendRequest')],
  'delete /friends/requests/{requestId}': [204],
  'get /friends': [200, pageOf('Friend')],
  'delete /friends/{userId}': [204],
  'post /blocks/{userId}': [201],
  'delete /blocks/{userId}': [204],
  'get /blocks': [200, pageOf('Block')],
  'post /chats': [201, ref('Chat')],
  'get /chats': [200, pageOf('Chat')],
  'get /chats/{chatId}': [200, ref('Chat')],
  'post /chats/{chatId}/members': [200, ref('Chat')],
  'delete /chats/{chatId}/members/{userId}': [204],
  'post /chats/{chatId}/messages': [201, ref('Message')],
  'get /chats/{chatId}/messages': [200, pageOf('Message')],
  'post /chats/{chatId}/read': [204],
  'get /chats/{chatId}/messages/{messageId}/receipts': [200, ref('Receipts')],
  'get /presence': [200, ref('Presence')],
};

/** Query parameters per operation. */
export const queryParameters: Record<string, Record<string, Schema>> = {
  'get /profiles': { search: { type: 'string', minLength: 1 } },
  'get /friends/requests': { direction: { enum: ['incoming', 'outgoing'] } },
  'get /chats/{chatId}/messages': { beforeSeq: { type: 'integer' }, afterSeq: { type: 'integer' } },
  'get /presence': { userIds: { type: 'string', description: 'comma-separated user ids' } },
};

export const paginated = new Set([
  'get /profiles',
  'get /friends/requests',
  'get /friends',
  'get /blocks',
  'get /chats',
  'get /chats/{chatId}/messages',
]);
