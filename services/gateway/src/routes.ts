import {
  externalOperations,
  operationKey,
  type Method,
  type Operation,
} from '@messenger/contracts';

/** Which service serves each operation of the external API (its contract: `@messenger/contracts`). */
export type Upstream = 'auth' | 'session' | 'profile' | 'contact' | 'messaging' | 'search';

export interface ApiRoute {
  method: Method;
  /** OpenAPI-style template under /api/v1, e.g. `/chats/{chatId}`. */
  path: string;
  upstream: Upstream;
}

export const API_PREFIX = '/api/v1';

export const apiRoutes: readonly ApiRoute[] = [
  { method: 'post', path: '/auth/register', upstream: 'auth' },
  { method: 'post', path: '/auth/login', upstream: 'auth' },
  { method: 'post', path: '/auth/refresh', upstream: 'auth' },
  { method: 'post', path: '/auth/logout', upstream: 'auth' },
  { method: 'get', path: '/auth/google', upstream: 'auth' },
  { method: 'get', path: '/auth/google/callback', upstream: 'auth' },
  { method: 'post', path: '/auth/verify-email', upstream: 'auth' },
  { method: 'post', path: '/auth/verify-email/resend', upstream: 'auth' },
  { method: 'get', path: '/sessions', upstream: 'session' },
  { method: 'delete', path: '/sessions', upstream: 'session' },
  { method: 'delete', path: '/sessions/{sessionId}', upstream: 'session' },
  { method: 'get', path: '/profiles/me', upstream: 'profile' },
  { method: 'patch', path: '/profiles/me', upstream: 'profile' },
  { method: 'get', path: '/profiles/by-nickname/{nickname}', upstream: 'profile' },
  { method: 'get', path: '/profiles/{userId}', upstream: 'profile' },
  { method: 'get', path: '/profiles', upstream: 'profile' },
  { method: 'post', path: '/friends/requests', upstream: 'contact' },
  { method: 'get', path: '/friends/requests', upstream: 'contact' },
  { method: 'post', path: '/friends/requests/{requestId}/accept', upstream: 'contact' },
  { method: 'post', path: '/friends/requests/{requestId}/reject', upstream: 'contact' },
  { method: 'delete', path: '/friends/requests/{requestId}', upstream: 'contact' },
  { method: 'get', path: '/friends', upstream: 'contact' },
  { method: 'delete', path: '/friends/{userId}', upstream: 'contact' },
  { method: 'post', path: '/blocks/{userId}', upstream: 'contact' },
  { method: 'delete', path: '/blocks/{userId}', upstream: 'contact' },
  { method: 'get', path: '/blocks', upstream: 'contact' },
  { method: 'post', path: '/chats', upstream: 'messaging' },
  { method: 'get', path: '/chats', upstream: 'messaging' },
  { method: 'get', path: '/chats/{chatId}', upstream: 'messaging' },
  { method: 'post', path: '/chats/{chatId}/members', upstream: 'messaging' },
  { method: 'delete', path: '/chats/{chatId}/members/{userId}', upstream: 'messaging' },
  { method: 'post', path: '/chats/{chatId}/messages', upstream: 'messaging' },
  { method: 'get', path: '/chats/{chatId}/messages', upstream: 'messaging' },
  { method: 'post', path: '/chats/{chatId}/read', upstream: 'messaging' },
  { method: 'get', path: '/chats/{chatId}/messages/{messageId}/receipts', upstream: 'messaging' },
  { method: 'patch', path: '/chats/{chatId}', upstream: 'messaging' },
  { method: 'put', path: '/chats/{chatId}/members/{userId}/role', upstream: 'messaging' },
  { method: 'patch', path: '/chats/{chatId}/messages/{messageId}', upstream: 'messaging' },
  { method: 'delete', path: '/chats/{chatId}/messages/{messageId}', upstream: 'messaging' },
  {
    method: 'put',
    path: '/chats/{chatId}/messages/{messageId}/reactions/{emoji}',
    upstream: 'messaging',
  },
  {
    method: 'delete',
    path: '/chats/{chatId}/messages/{messageId}/reactions/{emoji}',
    upstream: 'messaging',
  },
  { method: 'get', path: '/chats/{chatId}/pins', upstream: 'messaging' },
  { method: 'put', path: '/chats/{chatId}/pins/{messageId}', upstream: 'messaging' },
  { method: 'delete', path: '/chats/{chatId}/pins/{messageId}', upstream: 'messaging' },
  { method: 'get', path: '/presence', upstream: 'messaging' },
  { method: 'get', path: '/search/messages', upstream: 'search' },
  { method: 'post', path: '/uploads', upstream: 'messaging' },
];

const operations = new Map(
  externalOperations.map((operation) => [operationKey(operation), operation]),
);

/** The contract of a route; a route without one is a programming error. */
export function contractOf(route: ApiRoute): Operation {
  const operation = operations.get(operationKey(route));
  if (!operation) throw new Error(`${operationKey(route)} has no contract in @messenger/contracts`);
  return operation;
}

/** `/chats/{chatId}` → `/api/v1/chats/:chatId` for Express. */
export function expressPath(template: string): string {
  return API_PREFIX + template.replace(/\{(\w+)\}/g, ':$1');
}
