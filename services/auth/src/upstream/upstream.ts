import { problems, type Logger } from '@messenger/platform';

export interface UpstreamResponse {
  status: number;
  body: unknown;
}

/** JSON over HTTP to another service's internal API, with a deadline; outages become 503. */
export class Upstream {
  constructor(
    private readonly name: string,
    private readonly baseUrl: string,
    private readonly timeoutMs: number,
    private readonly logger: Logger,
  ) {}

  async post(path: string, body?: unknown): Promise<UpstreamResponse> {
    let response: Response;
    let text: string;
    try {
      response = await fetch(new URL(path, this.baseUrl), {
        method: 'POST',
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      this.logger.error({ err: error, upstream: this.name, path }, 'upstream unreachable');
      throw problems.unavailable(`The ${this.name} service is unavailable; try again later.`);
    }
    if (response.status >= 500) {
      this.logger.error({ upstream: this.name, path, status: response.status }, 'upstream failed');
      throw problems.unavailable(`The ${this.name} service is unavailable; try again later.`);
    }
    return { status: response.status, body: text ? parseJson(text) : undefined };
  }

  /** An answer the contract does not allow: a fault on our side, logged with the details. */
  unexpected(path: string, response: UpstreamResponse): Error {
    return new Error(`${this.name} answered ${path} with ${response.status}`);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
