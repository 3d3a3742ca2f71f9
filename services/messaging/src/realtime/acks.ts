import type { z } from 'zod';
import { HttpProblem, type Logger } from '@messenger/platform';
import type { MessagingSocket } from './socket-types.js';

export interface ErrorAck {
  error: { code: string; detail: string };
}

type Reply = (response: unknown) => void;

export interface AckOptions {
  logger: Logger;
  isRevoked: (sessionId: string) => Promise<boolean>;
}

/**
 * Wraps a client event handler: the payload is parsed with `schema`, the result (or
 * `{error:{code,detail}}`) goes back through the ack, and nothing a client sends can throw out
 * of it. A socket whose session was revoked is answered `unauthorized` and closed.
 */
export function ackHandlers(socket: MessagingSocket, options: AckOptions) {
  return <S extends z.ZodType>(schema: S, run: (input: z.infer<S>) => Promise<unknown>) =>
    (payload: unknown, ack?: unknown): void => {
      // A client may emit with only an ack callback.
      const [body, reply] =
        typeof payload === 'function' && ack === undefined ? [undefined, payload] : [payload, ack];
      const respond: Reply = typeof reply === 'function' ? (reply as Reply) : () => undefined;
      void answer(socket, options, schema, run, body).then(({ response, close }) => {
        respond(response);
        if (close) socket.disconnect(true);
      });
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
    if (error instanceof HttpProblem) return { response: errorAck(error.code, error.detail) };
    options.logger.error({ err: error }, 'socket event handler failed');
    return { response: errorAck('internal', 'Something went wrong on our side.') };
  }
}

export function errorAck(code: string, detail: string): ErrorAck {
  return { error: { code, detail } };
}
