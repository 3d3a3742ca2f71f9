import { z } from 'zod';
import { idSchema } from '../ids.js';
import { nicknameSchema } from '../profile.js';
import { errors } from './errors.js';
import type { Operation } from './operation.js';
import { nicknameParamsSchema, profileSchema, userIdParamsSchema } from './profile-api.js';

/** Who opened a session, as the user's request to auth showed it. */
export const clientInfoSchema = z.object({
  userAgent: z.string().max(512).optional(),
  ip: z.union([z.ipv4(), z.ipv6()]).optional(),
});
export type ClientInfo = z.infer<typeof clientInfoSchema>;

const refreshToken = z.string().min(1).max(256);

/** What session issues for a new or refreshed session. */
export const issuedTokensSchema = z.object({
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1),
  tokenType: z.literal('Bearer'),
  expiresIn: z.number().int().positive(),
  sessionId: idSchema,
  userId: idSchema,
});
export type IssuedTokens = z.infer<typeof issuedTokensSchema>;

export const openSessionBodySchema = clientInfoSchema.extend({ userId: idSchema });
export const refreshSessionBodySchema = clientInfoSchema.extend({ refreshToken });
export const revokeSessionBodySchema = z
  .object({
    userId: idSchema,
    sessionId: idSchema.optional(),
    refreshToken: refreshToken.optional(),
  })
  .refine((body) => body.sessionId ?? body.refreshToken, 'Name a sessionId or a refreshToken');

export const createProfileBodySchema = z.object({ userId: idSchema, nickname: nicknameSchema });
export const profileBatchBodySchema = z.object({ userIds: z.array(idSchema).max(500) });
export const relationshipQuerySchema = z.object({ a: idSchema, b: idSchema });
export const relationshipSchema = z.object({
  friends: z.boolean(),
  blockedByA: z.boolean(),
  blockedByB: z.boolean(),
});
export type Relationship = z.infer<typeof relationshipSchema>;

/** A key signs for rotationSeconds; the operator sends its spec.auth.keyRotationPeriod. */
export const rotateSigningKeysBodySchema = z.object({
  rotationSeconds: z
    .number()
    .int()
    .min(10)
    .max(366 * 24 * 60 * 60),
});
export const signingKeyRotationSchema = z.object({
  /** True when this call scheduled a successor. */
  rotated: z.boolean(),
  /** Every published key: `next` is published and signs from activatesAt, `retired` verifies only. */
  keys: z
    .array(
      z.object({
        kid: z.string().min(1),
        activatesAt: z.iso.datetime(),
        state: z.enum(['next', 'active', 'retired']),
      }),
    )
    .max(1000),
});
export type SigningKeyRotation = z.infer<typeof signingKeyRotationSchema>;

/** Service-to-service operations: never routed by the gateway, reachable only inside the cluster. */
export const internalOperations = {
  openSession: {
    method: 'post',
    path: '/internal/sessions',
    summary: 'Open a session for a user auth has authenticated',
    public: true,
    body: openSessionBodySchema,
    success: [{ status: 201, description: 'The tokens', body: issuedTokensSchema }],
    errors: [],
  },
  refreshSession: {
    method: 'post',
    path: '/internal/sessions/refresh',
    summary: 'Rotate a refresh token',
    public: true,
    body: refreshSessionBodySchema,
    success: [{ status: 200, description: 'New tokens', body: issuedTokensSchema }],
    errors: [errors.unauthorized, errors.tokenReused],
  },
  revokeSession: {
    method: 'post',
    path: '/internal/sessions/revoke',
    summary:
      "Revoke the named session and/or the refresh token's session, when they are the user's",
    public: true,
    body: revokeSessionBodySchema,
    success: [{ status: 204, description: 'Revoked (anything not the user’s is ignored)' }],
    errors: [],
  },
  revokeUserSessions: {
    method: 'post',
    path: '/internal/users/{userId}/sessions/revoke',
    summary: 'Revoke every session of a user',
    public: true,
    params: userIdParamsSchema,
    success: [{ status: 204, description: 'Revoked' }],
    errors: [],
  },
  createProfile: {
    method: 'post',
    path: '/internal/profiles',
    summary: "Create a new user's profile (idempotent for the same user and nickname)",
    public: true,
    body: createProfileBodySchema,
    success: [
      { status: 201, description: 'Created', body: profileSchema },
      { status: 200, description: 'It existed with this nickname', body: profileSchema },
    ],
    errors: [errors.nicknameTaken, errors.profileExists],
  },
  profileBatch: {
    method: 'post',
    path: '/internal/profiles/batch',
    summary: 'The profiles of these users (missing ones are left out)',
    public: true,
    body: profileBatchBodySchema,
    success: [
      { status: 200, description: 'Profiles', body: z.object({ items: z.array(profileSchema) }) },
    ],
    errors: [],
  },
  profileByNickname: {
    method: 'get',
    path: '/internal/profiles/by-nickname/{nickname}',
    summary: 'The profile holding a nickname',
    public: true,
    params: nicknameParamsSchema,
    success: [{ status: 200, description: 'The profile', body: profileSchema }],
    errors: [errors.notFound],
  },
  relationship: {
    method: 'get',
    path: '/internal/relationships',
    summary: 'Whether a and b are friends and who blocks whom',
    public: true,
    query: relationshipQuerySchema,
    success: [{ status: 200, description: 'The relationship', body: relationshipSchema }],
    errors: [],
  },
  friendIds: {
    method: 'get',
    path: '/internal/friends/{userId}',
    summary: "The ids of a user's friends",
    public: true,
    params: userIdParamsSchema,
    success: [
      { status: 200, description: 'Friend ids', body: z.object({ items: z.array(idSchema) }) },
    ],
    errors: [],
  },
  rotateSigningKeys: {
    method: 'post',
    path: '/internal/signing-keys/rotate',
    summary:
      'Schedule the next signing key when the active one is due (published before it signs; idempotent)',
    public: true,
    body: rotateSigningKeysBodySchema,
    success: [{ status: 200, description: 'The published keys', body: signingKeyRotationSchema }],
    errors: [],
  },
} as const satisfies Record<string, Operation>;
