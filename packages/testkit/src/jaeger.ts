/** Traces as the stack's Jaeger returns them from its query API (JAEGER_URL, scripts/stack/env.sh). */
import { eventually } from './eventually.js';

export const jaegerUrl = process.env['JAEGER_URL'] ?? 'http://127.0.0.1:56686';

export interface TraceSpan {
  traceId: string;
  spanId: string;
  /** The span this one is a child of, when it has a parent. */
  parentId: string | undefined;
  name: string;
  service: string;
  /** server, client, producer, consumer or internal. */
  kind: string;
  startMicros: number;
  durationMicros: number;
  attributes: Record<string, unknown>;
}

interface JaegerSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  references: { refType: string; spanID: string }[];
  startTime: number;
  duration: number;
  tags: { key: string; value: unknown }[];
  processID: string;
}
interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, { serviceName: string }>;
}

function spansOf(trace: JaegerTrace): TraceSpan[] {
  return trace.spans.map((span) => {
    const attributes = Object.fromEntries(span.tags.map((tag) => [tag.key, tag.value]));
    return {
      traceId: span.traceID,
      spanId: span.spanID,
      parentId: span.references.find((ref) => ref.refType === 'CHILD_OF')?.spanID,
      name: span.operationName,
      service: trace.processes[span.processID]?.serviceName ?? '',
      kind: typeof attributes['span.kind'] === 'string' ? attributes['span.kind'] : 'internal',
      startMicros: span.startTime,
      durationMicros: span.duration,
      attributes,
    };
  });
}

async function query(path: string): Promise<JaegerTrace[]> {
  const response = await fetch(new URL(path, jaegerUrl));
  if (response.status === 404) return [];
  if (!response.ok) throw new Error(`Jaeger ${path}: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { data: JaegerTrace[] | null }).data ?? [];
}

/** The spans Jaeger holds of one trace (none while it has not received any). */
export async function readTrace(traceId: string): Promise<TraceSpan[]> {
  return (await query(`/api/traces/${traceId}`)).flatMap(spansOf);
}

/** Ids of the last hour's traces with a span of `service` carrying every one of `attributes`. */
export async function findTraceIds(
  service: string,
  attributes: Record<string, string>,
): Promise<string[]> {
  const params = new URLSearchParams({
    service,
    tags: JSON.stringify(attributes),
    lookback: '1h',
    limit: '20',
  });
  return (await query(`/api/traces?${params.toString()}`)).map((trace) => trace.traceID);
}

/**
 * Reads the trace until `complete` accepts its spans: services export in batches, every few
 * seconds, so the spans of one trace arrive at different times.
 */
export function traceWhen(
  traceId: string,
  complete: (spans: TraceSpan[]) => boolean,
  what: string,
  timeoutMs = 30_000,
): Promise<TraceSpan[]> {
  return eventually(
    async () => {
      const spans = await readTrace(traceId);
      return complete(spans) ? spans : undefined;
    },
    timeoutMs,
    what,
  );
}

/** The span's ancestors, nearest first. */
export function ancestorsOf(span: TraceSpan, spans: TraceSpan[]): TraceSpan[] {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const chain: TraceSpan[] = [];
  for (let parent = span.parentId; parent !== undefined;) {
    const next = byId.get(parent);
    if (!next) break;
    chain.push(next);
    parent = next.parentId;
  }
  return chain;
}
