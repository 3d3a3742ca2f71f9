export const SOCKET_METRIC = 'messaging_socket_connections';

export interface PodRef {
  name: string;
  namespace: string;
  ip?: string | undefined;
}

/** Live socket counts per messaging pod; a pod without a readable count maps to undefined. */
export interface SocketCounts {
  read(pods: readonly PodRef[]): Promise<Map<string, number | undefined>>;
}

/** Sums every sample of `metric` in a Prometheus text exposition; undefined when there is none. */
export function parseMetric(text: string, metric: string): number | undefined {
  let total: number | undefined;
  for (const line of text.split('\n')) {
    if (!line.startsWith(metric)) continue;
    const rest = line.slice(metric.length);
    if (rest[0] !== ' ' && rest[0] !== '{') continue;
    const value = Number(
      rest
        .slice(rest.lastIndexOf('}') + 1)
        .trim()
        .split(/\s+/)[0],
    );
    if (Number.isFinite(value)) total = (total ?? 0) + value;
  }
  return total;
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}

/** Scrapes each pod's /metrics (URL from a template of {podIP}, {pod} and {namespace}). */
export class PodMetricsCounts implements SocketCounts {
  constructor(
    private readonly urlTemplate: string,
    private readonly timeoutMs = 2_000,
  ) {}

  async read(pods: readonly PodRef[]): Promise<Map<string, number | undefined>> {
    const entries = await Promise.all(
      pods.map(async (pod): Promise<[string, number | undefined]> => {
        if (this.urlTemplate.includes('{podIP}') && !pod.ip) return [pod.name, undefined];
        const url = fill(this.urlTemplate, {
          podIP: pod.ip ?? '',
          pod: pod.name,
          namespace: pod.namespace,
        });
        try {
          const response = await fetch(url, { signal: AbortSignal.timeout(this.timeoutMs) });
          if (!response.ok) return [pod.name, undefined];
          return [pod.name, parseMetric(await response.text(), SOCKET_METRIC)];
        } catch {
          return [pod.name, undefined];
        }
      }),
    );
    return new Map(entries);
  }
}

interface PromVectorResponse {
  status: string;
  data?: {
    resultType: string;
    result: { metric: Record<string, string>; value: [number, string] }[];
  };
  error?: string;
}

/** Asks Prometheus once for every pod (one series per pod, label `pod`). */
export class PrometheusCounts implements SocketCounts {
  constructor(
    private readonly baseUrl: string,
    private readonly query: string,
    private readonly timeoutMs = 3_000,
  ) {}

  async read(pods: readonly PodRef[]): Promise<Map<string, number | undefined>> {
    const result = new Map<string, number | undefined>(pods.map((pod) => [pod.name, undefined]));
    const namespaces = [...new Set(pods.map((pod) => pod.namespace))];
    for (const namespace of namespaces) {
      const url = new URL('/api/v1/query', this.baseUrl);
      url.searchParams.set('query', fill(this.query, { namespace }));
      const response = await fetch(url, { signal: AbortSignal.timeout(this.timeoutMs) });
      const body = (await response.json()) as PromVectorResponse;
      if (body.status !== 'success' || !body.data) {
        throw new Error(`Prometheus query failed: ${body.error ?? response.statusText}`);
      }
      for (const series of body.data.result) {
        const pod = series.metric.pod;
        const value = Number(series.value[1]);
        if (pod !== undefined && result.has(pod) && Number.isFinite(value)) result.set(pod, value);
      }
    }
    return result;
  }
}
