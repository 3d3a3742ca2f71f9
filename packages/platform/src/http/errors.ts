import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { isBackendUnavailable } from '../backend-unavailable.js';
import { HttpProblem, problems } from './problem.js';

interface BodyParserError {
  type: string;
  status: number;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return typeof error === 'object' && error !== null && 'type' in error && 'status' in error;
}

function asProblem(error: unknown): HttpProblem | undefined {
  if (error instanceof HttpProblem) return error;
  if (!isBodyParserError(error)) return undefined;
  switch (error.type) {
    case 'entity.parse.failed':
      return new HttpProblem(400, 'malformed_json', 'The request body is not valid JSON.');
    case 'json.too.deep':
      return problems.validation([
        { path: '(body)', message: 'The body nests objects or arrays too deeply.' },
      ]);
    case 'entity.too.large':
      return new HttpProblem(413, 'payload_too_large', 'The request body is too large.');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new HttpProblem(415, 'unsupported_media_type', 'Unsupported body encoding.');
    default:
      return error.status >= 400 && error.status < 500
        ? new HttpProblem(error.status, 'bad_request', 'The request could not be read.')
        : undefined;
  }
}

export function sendProblem(res: Parameters<RequestHandler>[1], problem: HttpProblem): void {
  res
    .status(problem.status)
    .set(problem.headers)
    .type('application/problem+json')
    .send(JSON.stringify(problem.toJSON()));
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(problems.notFound(`No route for ${req.method} ${req.path}.`));
};

/** A backing server is down: the operation may succeed when retried (docs/api.md, 503). */
const backendDown = new HttpProblem(
  503,
  'upstream_unavailable',
  'A server this service needs is unavailable; retry.',
  undefined,
  { 'retry-after': '1' },
);

/**
 * The last middleware: every error becomes problem+json; a backing server that is down is a 503,
 * and only real faults are 500s and logged as errors.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const problem = asProblem(error);
    if (problem) {
      sendProblem(res, problem);
      return;
    }
    if (isBackendUnavailable(error)) {
      logger.warn({ err: error, method: req.method, path: req.path }, 'a backing server is down');
      sendProblem(res, backendDown);
      return;
    }
    logger.error({ err: error, method: req.method, path: req.path }, 'unhandled error');
    sendProblem(res, new HttpProblem(500, 'internal', 'Something went wrong on our side.'));
  };
}

/** Requests that carry a body must declare it as JSON (415 otherwise). */
export const requireJsonBody: RequestHandler = (req, _res, next) => {
  const hasBody =
    Number(req.headers['content-length'] ?? 0) > 0 ||
    req.headers['transfer-encoding'] !== undefined;
  if (hasBody && !req.is('application/json')) {
    next(new HttpProblem(415, 'unsupported_media_type', 'Send the body as application/json.'));
    return;
  }
  next();
};
