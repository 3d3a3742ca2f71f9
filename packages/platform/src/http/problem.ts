/** RFC 9457 problem details with the stable `code` of docs/api.md. */
export interface FieldError {
  path: string;
  message: string;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** The RFC 9457 `title` of a status. */
export function problemTitle(status: number): string {
  return TITLES[status] ?? 'Error';
}

export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly errors?: FieldError[],
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'HttpProblem';
  }

  toJSON(): Record<string, unknown> {
    return {
      type: `https://messenger.dev/problems/${this.code}`,
      title: problemTitle(this.status),
      status: this.status,
      detail: this.detail,
      code: this.code,
      ...(this.errors ? { errors: this.errors } : {}),
    };
  }
}

export const problems = {
  validation: (errors: FieldError[], detail = 'The request is invalid.') =>
    new HttpProblem(400, 'validation_failed', detail, errors),
  badRequest: (code: string, detail: string) => new HttpProblem(400, code, detail),
  unauthorized: (detail = 'A valid access token is required.') =>
    new HttpProblem(401, 'unauthorized', detail),
  forbidden: (detail = 'You are not allowed to do this.', code = 'forbidden') =>
    new HttpProblem(403, code, detail),
  notFound: (detail = 'Not found.') => new HttpProblem(404, 'not_found', detail),
  conflict: (code: string, detail: string) => new HttpProblem(409, code, detail),
  rateLimited: (retryAfterSeconds: number) =>
    new HttpProblem(429, 'rate_limited', 'Too many requests; retry later.', undefined, {
      'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))),
    }),
  unavailable: (detail: string) => new HttpProblem(503, 'unavailable', detail),
};
