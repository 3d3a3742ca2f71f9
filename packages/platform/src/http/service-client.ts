import { z } from 'zod';
import type { Logger } from 'pino';
import {
  operationKey,
  problemSchema,
  type ErrorCodeOf,
  type Operation,
  type Success,
} from '@messenger/contracts';
import { HttpProblem } from './problem.js';

/** The deadline of every call to another service; callers' configs spread this in. */
export const serviceClientConfig = {
  UPSTREAM_TIMEOUT_MS: z.coerce.number().int().positive().default(5_000),
};

/** What a caller answers when a service it needs is down, slow or broken: one code, one wording. */
export function upstreamUnavailable(service: string): HttpProblem {
  return new HttpProblem(
    503,
    'upstream_unavailable',
    `The ${service} service is unavailable; try again later.`,
    undefined,
    { 'retry-after': '1' },
  );
}

type Input<S, K extends string> = S extends z.ZodType ? Record<K, z.input<S>> : unknown;

/** What a call sends: the operation's path parameters, query and body, each when it has one. */
export type CallInput<O extends Operation> = Input<O['params'], 'params'> &
  Input<O['query'], 'query'> &
  Input<O['body'], 'body'>;

type BodyOfSuccess<S> = S extends { body: z.ZodType } ? z.output<S['body']> : undefined;

/**
 * A success the contract allows, with its parsed body, or one of the problems it declares (an
 * operation that declares none only succeeds).
 */
export type CallResult<O extends Operation> =
  | { ok: true; status: number; body: BodyOfSuccess<O['success'][number]> }
  | ([ErrorCodeOf<O>] extends [never]
      ? never
      : { ok: false; status: number; code: ErrorCodeOf<O> });

export interface ServiceClientOptions {
  /** The called service's name, for logs and the 503 wording. */
  service: string;
  baseUrl: string;
  timeoutMs: number;
  logger: Logger;
}

function pathWith(template: string, params: Record<string, unknown> | undefined): string {
  return template.replace(/\{(\w+)\}/g, (_match, name: string) =>
    encodeURIComponent(String(params?.[name])),
  );
}

function queryString(query: Record<string, unknown> | undefined): string {
  if (!query) return '';
  const entries = Object.entries(query).filter(([, value]) => value !== undefined);
  return entries.length === 0
    ? ''
    : `?${new URLSearchParams(entries.map(([key, value]): [string, string] => [key, String(value)])).toString()}`;
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Calls another service's operations by their contract (`@messenger/contracts`): the input is
 * typed by the operation, the answer is parsed by its schema. A success or a declared problem is
 * returned; an unreachable, slow, failing or contract-breaking service is `upstreamUnavailable`.
 */
export class ServiceClient {
  constructor(private readonly options: ServiceClientOptions) {}

  async call<O extends Operation>(operation: O, input: CallInput<O>): Promise<CallResult<O>> {
    const { params, query, body } = input as {
      params?: Record<string, unknown>;
      query?: Record<string, unknown>;
      body?: unknown;
    };
    const url = new URL(
      pathWith(operation.path, params) + queryString(query),
      this.options.baseUrl,
    );
    const what = { upstream: this.options.service, operation: operationKey(operation) };
    let response: Response;
    let json: unknown;
    try {
      response = await fetch(url, {
        method: operation.method.toUpperCase(),
        ...(body === undefined
          ? {}
          : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      json = await readJson(response);
    } catch (error) {
      this.options.logger.error({ ...what, err: error }, 'upstream unreachable');
      throw upstreamUnavailable(this.options.service);
    }
    const success = operation.success.find((candidate) => candidate.status === response.status);
    if (success) return this.successOf(success, json, what) as CallResult<O>;
    const problem = problemSchema.safeParse(json);
    const declared =
      problem.success &&
      operation.errors.some(
        (error) => error.status === response.status && error.code === problem.data.code,
      );
    if (declared)
      return { ok: false, status: response.status, code: problem.data.code } as CallResult<O>;
    this.options.logger.error(
      { ...what, status: response.status, code: problem.data?.code },
      'upstream answer outside its contract',
    );
    throw upstreamUnavailable(this.options.service);
  }

  private successOf(success: Success, json: unknown, what: Record<string, string>) {
    if (!success.body) return { ok: true, status: success.status, body: undefined };
    const parsed = success.body.safeParse(json);
    if (parsed.success) return { ok: true, status: success.status, body: parsed.data };
    this.options.logger.error(
      { ...what, issues: parsed.error.issues.slice(0, 5) },
      'upstream body outside its contract',
    );
    throw upstreamUnavailable(this.options.service);
  }
}
