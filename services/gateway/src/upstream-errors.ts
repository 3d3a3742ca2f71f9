import { HttpProblem, upstreamUnavailable } from '@messenger/platform';

export const UPSTREAM_TIMEOUT = 'UPSTREAM_TIMEOUT';

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH']);

function codeOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error
    ? String(error.code)
    : undefined;
}

/** Connection failures that happened before the upstream could have acted: safe to retry. */
export function isRetryable(error: unknown): boolean {
  return UNREACHABLE.has(codeOf(error) ?? '');
}

/** What the client sees when an upstream is down (503), slow (504) or broken (502). */
export function upstreamProblem(service: string, error: unknown): HttpProblem {
  const code = codeOf(error);
  if (code === UPSTREAM_TIMEOUT) {
    return new HttpProblem(
      504,
      'upstream_timeout',
      `The ${service} service did not answer in time.`,
    );
  }
  if (UNREACHABLE.has(code ?? '')) {
    return upstreamUnavailable(service);
  }
  return new HttpProblem(502, 'bad_gateway', `The ${service} service failed to answer.`);
}
