import type { z } from 'zod';
import type { ErrorSpec } from './errors.js';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** One answer an operation gives on success; `body` is absent for 202, 204 and 302. */
export interface Success {
  readonly status: number;
  readonly description: string;
  readonly body?: z.ZodType;
}

/**
 * One HTTP operation: what the caller sends, what it gets back and every problem `code` the
 * operation can answer. External paths are relative to `/api/v1`; internal ones start at
 * `/internal` (or `/.well-known`) and are never routed by the gateway.
 */
export interface Operation {
  readonly method: Method;
  readonly path: string;
  readonly summary: string;
  /** Reachable without an access token. */
  readonly public?: true;
  readonly params?: z.ZodObject;
  readonly query?: z.ZodObject;
  readonly body?: z.ZodType;
  /** The first is the usual answer. */
  readonly success: readonly [Success, ...Success[]];
  /** The problems this operation's own logic answers; input, token and transport problems are derived (`problemsOf`). */
  readonly errors: readonly ErrorSpec[];
}

export function operationKey(operation: Pick<Operation, 'method' | 'path'>): string {
  return `${operation.method} ${operation.path}`;
}

/** The request body type a caller passes (before the server's transforms). */
export type BodyOf<O extends Operation> = O['body'] extends z.ZodType ? z.input<O['body']> : never;
export type ParamsOf<O extends Operation> = O['params'] extends z.ZodObject
  ? z.input<O['params']>
  : never;
export type QueryOf<O extends Operation> = O['query'] extends z.ZodObject
  ? z.input<O['query']>
  : never;
/** The success body of the usual answer. */
export type ResponseOf<O extends Operation> = O['success'][0]['body'] extends z.ZodType
  ? z.output<O['success'][0]['body']>
  : undefined;
/** The problem codes an operation declares. */
export type ErrorCodeOf<O extends Operation> = O['errors'][number]['code'];
