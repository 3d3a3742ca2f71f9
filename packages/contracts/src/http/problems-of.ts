import { errors, type ErrorSpec } from './errors.js';
import type { Operation } from './operation.js';

/** What the gateway itself answers on every external operation: its rate limits and upstream faults. */
const gatewayErrors = [
  errors.rateLimited,
  errors.badGateway,
  errors.upstreamUnavailable,
  errors.upstreamTimeout,
];

/**
 * Every problem an operation can answer: its own, those of its input (validation, and for a
 * body JSON syntax, size and media type), headers over the size limit, a refused token unless
 * it is public, and, seen
 * through the gateway, the gateway's own. Sorted by status, then code.
 */
export function problemsOf(operation: Operation, seenThroughGateway: boolean): ErrorSpec[] {
  const hasInput = Boolean(operation.params ?? operation.query ?? operation.body);
  const all = [
    ...(hasInput ? [errors.validationFailed] : []),
    ...(operation.body
      ? [errors.malformedJson, errors.payloadTooLarge, errors.unsupportedMediaType]
      : []),
    ...(operation.public ? [] : [errors.unauthorized]),
    ...operation.errors,
    // Node refuses headers over its limit before any route runs (platform http/client-errors.ts).
    errors.headersTooLarge,
    ...(seenThroughGateway ? gatewayErrors : []),
  ];
  const unique = new Map(all.map((error) => [`${error.status} ${error.code}`, error]));
  return [...unique.values()].sort((a, b) => a.status - b.status || a.code.localeCompare(b.code));
}
