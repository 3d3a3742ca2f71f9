import type { RequestHandler } from 'express';
import { context, propagation } from '@opentelemetry/api';

/** Returns the request's W3C trace context to the client, so a report can name its trace. */
export const traceResponseHeader: RequestHandler = (_req, res, next) => {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  if (carrier['traceparent']) res.setHeader('traceparent', carrier['traceparent']);
  next();
};
