/** Every operation of the external API (docs/api.md), the service that serves it and who may call it. */
export type Upstream = 'auth' | 'session' | 'profile' | 'contact' | 'messaging';
export type Method = 'get' | 'post' | 'patch' | 'delete';

export interface ApiRoute {
  method: Method;
  /** OpenAPI-style template under /api/v1, e.g. `/chats/{chatId}`. */
  path: string;
  upstream: Upstream;
  /** Reachable without an access token. */
  public?: true;
  summary: string;
}

export const API_PREFIX = '/api/v1';

export const apiRoutes: readonly ApiRoute[] = [
  {
    method: 'post',
    path: '/auth/register',
    upstream: 'auth',
    public: true,
    summary: 'Register with email, password and nickname',
  },
  {
    method: 'post',
    path: '/auth/login',
    upstream: 'auth',
    public: true,
    summary: 'Log in with email and password',
  },
  {
    method: 'post',
    path: '/auth/refresh',
    upstream: 'auth',
    public: true,
    summary: 'Rotate a refresh token',
  },
  { method: 'post', path: '/auth/logout', upstream: 'auth', summary: 'Revoke the current session' },
  {
    method: 'get',
    path: '/auth/google',
    upstream: 'auth',
    public: true,
    summary: 'Start Google login',
  },
  {
    method: 'get',
    path: '/auth/google/callback',
    upstream: 'auth',
    public: true,
    summary: 'Finish Google login',
  },
  {
    method: 'post',
    path: '/auth/verify-email',
    upstream: 'auth',
    public: true,
    summary: 'Verify an email address',
  },
  {
    method: 'post',
    path: '/auth/verify-email/resend',
    upstream: 'auth',
    summary: 'Send the verification mail again',
  },
  { method: 'get', path: '/sessions', upstream: 'session', summary: 'List your sessions' },
  {
    method: 'delete',
    path: '/sessions',
    upstream: 'session',
    summary: 'Revoke all sessions but the current one',
  },
  {
    method: 'delete',
    path: '/sessions/{sessionId}',
    upstream: 'session',
    summary: 'Revoke one of your sessions',
  },
  { method: 'get', path: '/profiles/me', upstream: 'profile', summary: 'Your profile' },
  { method: 'patch', path: '/profiles/me', upstream: 'profile', summary: 'Edit your profile' },
  {
    method: 'get',
    path: '/profiles/by-nickname/{nickname}',
    upstream: 'profile',
    summary: 'A profile by nickname',
  },
  {
    method: 'get',
    path: '/profiles/{userId}',
    upstream: 'profile',
    summary: 'A profile by user id',
  },
  {
    method: 'get',
    path: '/profiles',
    upstream: 'profile',
    summary: 'Search profiles by nickname or display-name prefix',
  },
  {
    method: 'post',
    path: '/friends/requests',
    upstream: 'contact',
    summary: 'Send a friend request',
  },
  {
    method: 'get',
    path: '/friends/requests',
    upstream: 'contact',
    summary: 'Your pending requests',
  },
  {
    method: 'post',
    path: '/friends/requests/{requestId}/accept',
    upstream: 'contact',
    summary: 'Accept a request',
  },
  {
    method: 'post',
    path: '/friends/requests/{requestId}/reject',
    upstream: 'contact',
    summary: 'Reject a request',
  },
  {
    method: 'delete',
    path: '/friends/requests/{requestId}',
    upstream: 'contact',
    summary: 'Cancel a request you sent',
  },
  { method: 'get', path: '/friends', upstream: 'contact', summary: 'Your friends' },
  { method: 'delete', path: '/friends/{userId}', upstream: 'contact', summary: 'Remove a friend' },
  { method: 'post', path: '/blocks/{userId}', upstream: 'contact', summary: 'Block a user' },
  { method: 'delete', path: '/blocks/{userId}', upstream: 'contact', summary: 'Unblock a user' },
  { method: 'get', path: '/blocks', upstream: 'contact', summary: 'Users you block' },
  {
    method: 'post',
    path: '/chats',
    upstream: 'messaging',
    summary: 'Create a direct or group chat',
  },
  {
    method: 'get',
    path: '/chats',
    upstream: 'messaging',
    summary: 'Your conversations, most recent first',
  },
  { method: 'get', path: '/chats/{chatId}', upstream: 'messaging', summary: 'One chat' },
  {
    method: 'post',
    path: '/chats/{chatId}/members',
    upstream: 'messaging',
    summary: 'Add a member (group admins)',
  },
  {
    method: 'delete',
    path: '/chats/{chatId}/members/{userId}',
    upstream: 'messaging',
    summary: 'Remove a member or leave',
  },
  {
    method: 'post',
    path: '/chats/{chatId}/messages',
    upstream: 'messaging',
    summary: 'Send a message',
  },
  {
    method: 'get',
    path: '/chats/{chatId}/messages',
    upstream: 'messaging',
    summary: 'Message history in seq order',
  },
  {
    method: 'post',
    path: '/chats/{chatId}/read',
    upstream: 'messaging',
    summary: 'Mark messages read up to a seq',
  },
  {
    method: 'get',
    path: '/chats/{chatId}/messages/{messageId}/receipts',
    upstream: 'messaging',
    summary: 'Delivery and read receipts',
  },
  { method: 'get', path: '/presence', upstream: 'messaging', summary: "Your friends' presence" },
];

/** `/chats/{chatId}` → `/chats/:chatId` for Express. */
export function expressPath(template: string): string {
  return API_PREFIX + template.replace(/\{(\w+)\}/g, ':$1');
}
