/**
 * Errors that mean a backing server (MongoDB, PostgreSQL, Redis) cannot be reached right now, as
 * opposed to a bug: the request may succeed when retried, so it is answered 503 `unavailable`
 * (HTTP) or the ack error `unavailable` (sockets), not 500 `internal`.
 */
const MONGO_UNREACHABLE = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongoPoolClearedError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  // Every pooled connection stayed busy past the wait bound (mongo.ts): the server is slow.
  'MongoWaitQueueTimeoutError',
]);
/**
 * A MongoDB server answering that it cannot serve now (shutting down, stepping down, not the
 * primary): the codes the driver retries writes on.
 */
const MONGO_RETRYABLE_CODES = new Set([
  6, 7, 89, 91, 189, 9001, 10107, 11600, 11602, 13435, 13436, 262,
]);
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH']);
/** PostgreSQL's "shutting down" and "cannot connect now"; class 08 is connection exceptions. */
const PG_UNAVAILABLE = new Set(['57P01', '57P02', '57P03']);

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  errorLabelSet?: unknown;
}

function unreachable(error: ErrorLike): boolean {
  if (typeof error.name === 'string' && MONGO_UNREACHABLE.has(error.name)) return true;
  if (error.name === 'MaxRetriesPerRequestError') return true; // ioredis gave up on a command
  if (error.name === 'MongoServerError') {
    if (typeof error.code === 'number' && MONGO_RETRYABLE_CODES.has(error.code)) return true;
    if (error.errorLabelSet instanceof Set && error.errorLabelSet.has('RetryableWriteError'))
      return true;
  }
  if (typeof error.code === 'string') {
    if (SOCKET_CODES.has(error.code) || PG_UNAVAILABLE.has(error.code)) return true;
    if (/^08[0-9A-Z]{3}$/.test(error.code)) return true;
  }
  return (
    error.message === 'Connection is closed.' || // ioredis, a command on a closed connection
    error.message === 'Connection terminated unexpectedly' // pg, the server went away mid-query
  );
}

export function isBackendUnavailable(error: unknown): boolean {
  // Some clients wrap the socket's error (AggregateError of each address, or a cause).
  for (let current = error, depth = 0; depth < 5; depth += 1) {
    if (typeof current !== 'object' || current === null) return false;
    const candidate = current as ErrorLike & { errors?: unknown };
    if (unreachable(candidate)) return true;
    if (Array.isArray(candidate.errors) && candidate.errors.some(isBackendUnavailable)) return true;
    current = candidate.cause;
  }
  return false;
}
