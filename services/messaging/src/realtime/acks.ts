import type { z } from 'zod';
import { HttpProblem, isBackendUnavailable, type Counter, type Logger } from '@messenger/platform';
import type { ErrorAck } from '@messenger/contracts';
import {
  RefusalWindow,
  SocketBudget,
  type BudgetLimits,
  type UserBudgets,
} from './socket-budget.js';
import type { MessagingSocket } from '../socket-types.js';
import type { CutOffs } from './cut-offs.js';

type Reply = (response: unknown) => void;

/** Thrown by a handler that cannot take the event now: answered `rate_limited`, `retryAfterMs`. */
export class RetryLater extends Error {
  constructor(
    readonly retryAfterMs: number,
    /** Whose limit it is, for the answer's detail ("Too many events from ..."). */
    readonly from: string,
  ) {
    super(`Too many events from ${from}`);
  }
}

/** Events being worked on across all of an instance's sockets, against a cap. */
export class InstanceLoad {
  running = 0;

  constructor(readonly max: number) {}
}

export interface AckOptions {
  logger: Logger;
  isRevoked: (sessionId: string) => Promise<boolean>;
  limits: BudgetLimits;
  /** The budget each user's sockets on this instance share, beside each socket's own. */
  userBudgets: UserBudgets;
  load: InstanceLoad;
  /** An event not answered by then is answered `timeout` (retryable); its work goes on. */
  ackTimeoutMs: number;
  /** A socket refused more events than this in 10 s is closed, and its user's new ones refused. */
  refusalsBeforeCutOff: number;
  cutOffs: CutOffs;
  cutOffCount: Counter<'reason'>;
}

/**
 * Wraps a client event handler: the payload is parsed with `schema`, the result (or
 * `{error:{code,detail}}`) goes back through the ack, and nothing a client sends can throw out
 * of it. A socket whose session was revoked is answered `unauthorized` and closed. An event over
 * the instance's load cap, the budget of its user's sockets on this instance or its socket's own
 * budget is answered `rate_limited` without being run; a socket that keeps sending through
 * its `rate_limited` answers (including the send rate's) is closed. An event that takes longer
 * than the ack timeout is answered `timeout` (a send may then still be stored: its retry with the
 * same clientMsgId returns it).
 */
export function ackHandlers(socket: MessagingSocket, options: AckOptions) {
  const budget = new SocketBudget(options.limits);
  const { userId } = socket.data.auth;
  const userBudget = options.userBudgets.join(userId);
  socket.once('disconnect', () => {
    options.userBudgets.leave(userId);
  });
  const { load } = options;
  const refusals = new RefusalWindow(options.refusalsBeforeCutOff);
  /** Counts a `rate_limited` answer; past the bound the socket is closed. */
  const refused = () => {
    if (!refusals.add() || !socket.connected) return;
    options.cutOffCount.inc({ reason: 'rate_limited' });
    options.logger.warn({ userId }, 'closing a socket that kept sending through rate_limited');
    socket.disconnect(true);
    options.cutOffs.impose(userId).catch((error: unknown) => {
      options.logger.warn({ err: error }, 'could not record a cut-off');
    });
  };
  return <S extends z.ZodType>(schema: S, run: (input: z.infer<S>) => Promise<unknown>) =>
    (payload: unknown, ack?: unknown): Promise<void> | undefined => {
      // A client may emit with only an ack callback.
      const [body, reply] =
        typeof payload === 'function' && ack === undefined ? [undefined, payload] : [payload, ack];
      const respond: Reply = typeof reply === 'function' ? once(reply as Reply) : () => undefined;
      const refuse = (response: ErrorAck) => {
        respond(response);
        refused();
      };
      if (load.running >= load.max) {
        refuse(rateLimited(budget.retryAfterMs(), 'the clients of this server'));
        return;
      }
      if (!userBudget.take()) {
        refuse(rateLimited(userBudget.retryAfterMs(), 'your connections to this server'));
        return;
      }
      if (!budget.take()) {
        userBudget.release();
        refuse(rateLimited(budget.retryAfterMs(), 'this connection'));
        return;
      }
      load.running += 1;
      const timer = setTimeout(() => {
        respond(
          errorAck('timeout', 'Not confirmed in time; retry (a send with the same clientMsgId).'),
        );
      }, options.ackTimeoutMs);
      // Socket.IO ignores what a listener returns; its instrumentation ends the event's span when
      // this settles, so the span covers the handling and names what the handler found.
      return answer(socket, options, schema, run, body)
        .then(({ response, close }) => {
          respond(response);
          if (close) socket.disconnect(true);
          else if (isRateLimited(response)) refused();
        })
        .finally(() => {
          clearTimeout(timer);
          budget.release();
          userBudget.release();
          load.running -= 1;
        });
    };
}

function isRateLimited(response: unknown): boolean {
  return (response as Partial<ErrorAck> | undefined)?.error?.code === 'rate_limited';
}

function once(reply: Reply): Reply {
  let answered = false;
  return (response) => {
    if (answered) return;
    answered = true;
    reply(response);
  };
}

function rateLimited(retryAfterMs: number, from: string): ErrorAck {
  return {
    ...errorAck('rate_limited', `Too many events from ${from}; slow down.`),
    retryAfterMs,
  };
}

async function answer<S extends z.ZodType>(
  socket: MessagingSocket,
  options: AckOptions,
  schema: S,
  run: (input: z.infer<S>) => Promise<unknown>,
  body: unknown,
): Promise<{ response: unknown; close?: boolean }> {
  try {
    if (await options.isRevoked(socket.data.auth.sessionId))
      return { response: errorAck('unauthorized', 'The session was revoked.'), close: true };
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const detail = parsed.error.issues
        .map((issue) => `${issue.path.join('.') || '(payload)'}: ${issue.message}`)
        .join('; ');
      return { response: errorAck('validation_failed', detail) };
    }
    return { response: await run(parsed.data) };
  } catch (error) {
    if (error instanceof RetryLater)
      return { response: rateLimited(error.retryAfterMs, error.from) };
    if (error instanceof HttpProblem) {
      const retryAfter = Number(error.headers['retry-after']);
      const response = errorAck(error.code, error.detail);
      return {
        response: Number.isFinite(retryAfter)
          ? { ...response, retryAfterMs: retryAfter * 1000 }
          : response,
      };
    }
    if (isBackendUnavailable(error)) {
      options.logger.warn({ err: error }, 'socket event found a backing server down');
      return {
        response: errorAck('upstream_unavailable', 'A server this needs is unavailable; retry.'),
      };
    }
    options.logger.error({ err: error }, 'socket event handler failed');
    return { response: errorAck('internal', 'Something went wrong on our side.') };
  }
}

export function errorAck(code: string, detail: string): ErrorAck {
  return { error: { code, detail } };
}
