import { z } from 'zod';

/** A problem an operation can answer: its status, stable `code` and what it means. */
export interface ErrorSpec {
  readonly status: number;
  readonly code: string;
  readonly meaning: string;
}

const spec = <const S extends number, const C extends string>(
  status: S,
  code: C,
  meaning: string,
) => ({ status, code, meaning });

/** Every problem `code` of the platform (docs/api.md, "Conventions"), by name. */
export const errors = {
  validationFailed: spec(
    400,
    'validation_failed',
    'The input does not fit; `errors` names each field.',
  ),
  malformedJson: spec(400, 'malformed_json', 'The body is not valid JSON.'),
  invalidToken: spec(400, 'invalid_token', 'The verification token is invalid or expired.'),
  invalidState: spec(
    400,
    'invalid_state',
    'The login attempt is unknown, expired or already used.',
  ),
  oauthEmailMissing: spec(400, 'oauth_email_missing', 'Google did not share an email address.'),
  unauthorized: spec(401, 'unauthorized', 'Missing, invalid, expired or revoked token.'),
  invalidCredentials: spec(401, 'invalid_credentials', 'The email or password is wrong.'),
  tokenReused: spec(
    401,
    'token_reused',
    'The refresh token was already used; its sessions are revoked.',
  ),
  oauthDenied: spec(401, 'oauth_denied', 'The Google login was cancelled or refused.'),
  oauthFailed: spec(401, 'oauth_failed', 'Google did not confirm the login.'),
  blocked: spec(403, 'blocked', 'One of the two users blocks the other.'),
  notFriends: spec(403, 'not_friends', 'The two users are not friends.'),
  notAdmin: spec(403, 'not_admin', 'Only an admin of the group may do this.'),
  notAGroup: spec(403, 'not_a_group', 'A direct chat has exactly its two members.'),
  notAuthor: spec(403, 'not_author', 'Only the author of the message may do this.'),
  editWindowPassed: spec(403, 'edit_window_passed', 'The message is too old to edit.'),
  notFound: spec(404, 'not_found', 'Unknown, or not visible to you.'),
  replyNotFound: spec(
    400,
    'reply_not_found',
    'The message replied to is not a message of this chat.',
  ),
  messageDeleted: spec(409, 'message_deleted', 'The message was deleted.'),
  reactionLimit: spec(409, 'reaction_limit', 'The message has its maximum of distinct emoji.'),
  pinLimit: spec(409, 'pin_limit', 'The chat has its maximum of pinned messages.'),
  lastAdmin: spec(409, 'last_admin', 'The group needs an admin; promote another member first.'),
  emailTaken: spec(409, 'email_taken', 'An account with this email exists.'),
  nicknameTaken: spec(409, 'nickname_taken', 'Another user holds this nickname.'),
  profileExists: spec(409, 'profile_exists', 'The user has a profile under another nickname.'),
  emailAlreadyVerified: spec(
    409,
    'email_already_verified',
    'The email address is verified already.',
  ),
  selfRequest: spec(409, 'self_request', 'A friend request to yourself.'),
  alreadyFriends: spec(409, 'already_friends', 'The two users are friends already.'),
  requestPending: spec(409, 'request_pending', 'Your request to this user is pending.'),
  requestNotPending: spec(409, 'request_not_pending', 'The request was answered already.'),
  selfBlock: spec(409, 'self_block', 'Blocking yourself.'),
  alreadyBlocked: spec(409, 'already_blocked', 'You block that user already.'),
  groupFull: spec(409, 'group_full', 'The group has its maximum number of members.'),
  payloadTooLarge: spec(413, 'payload_too_large', 'The body is over the size limit.'),
  unsupportedMediaType: spec(415, 'unsupported_media_type', 'The body is not application/json.'),
  rateLimited: spec(429, 'rate_limited', 'Too many requests; retry after `Retry-After` seconds.'),
  headersTooLarge: spec(431, 'headers_too_large', 'The request headers are over the size limit.'),
  badGateway: spec(502, 'bad_gateway', 'The service behind the gateway failed to answer.'),
  upstreamUnavailable: spec(
    503,
    'upstream_unavailable',
    'A service this one needs is unavailable; retry later.',
  ),
  unavailable: spec(503, 'unavailable', 'Busy or unable to complete now; retry (idempotently).'),
  googleNotConfigured: spec(503, 'google_not_configured', 'Google login is not configured.'),
  upstreamTimeout: spec(
    504,
    'upstream_timeout',
    'The service behind the gateway did not answer in time.',
  ),
} as const satisfies Record<string, ErrorSpec>;

/** RFC 9457 problem details with the stable `code` (docs/api.md, "Conventions"). */
export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: z.string(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type ProblemBody = z.infer<typeof problemSchema>;
