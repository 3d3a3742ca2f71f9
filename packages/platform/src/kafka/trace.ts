import { context, propagation, ROOT_CONTEXT, type Context } from '@opentelemetry/api';
import type { IHeaders } from 'kafkajs';

/** The W3C traceparent of the active span, or null when nothing is being traced. */
export function currentTraceparent(): string | null {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier['traceparent'] ?? null;
}

export function contextFromTraceparent(traceparent: string | null | undefined): Context {
  return traceparent ? propagation.extract(ROOT_CONTEXT, { traceparent }) : ROOT_CONTEXT;
}

export function injectHeaders(ctx: Context): Record<string, string> {
  const headers: Record<string, string> = {};
  propagation.inject(ctx, headers);
  return headers;
}

export function contextFromHeaders(headers: IHeaders | undefined): Context {
  const carrier: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value !== undefined)
      carrier[name] = Array.isArray(value) ? String(value[0]) : String(value);
  }
  return propagation.extract(ROOT_CONTEXT, carrier);
}
