/**
 * OpenTelemetry bootstrap. Import and call this before anything else in a service's entry
 * point: instrumentations patch modules when they are first required.
 */
import { NodeSDK } from '@opentelemetry/sdk-node';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { MongooseInstrumentation } from '@opentelemetry/instrumentation-mongoose';
import { SocketIoInstrumentation } from '@opentelemetry/instrumentation-socket.io';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { chatAttributesOf } from './trace-attributes.js';

const UNTRACED_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

function isUntraced(path: string | undefined): boolean {
  return UNTRACED_PATHS.has((path ?? '').split('?')[0] ?? '');
}

export interface TelemetryOptions {
  /** Extra processors, e.g. an in-memory exporter in tests. */
  spanProcessors?: SpanProcessor[];
  env?: NodeJS.ProcessEnv;
}

export function startTelemetry(serviceName: string, options: TelemetryOptions = {}): NodeSDK {
  const env = options.env ?? process.env;
  const processors = [...(options.spanProcessors ?? [])];
  if (env['OTEL_EXPORTER_OTLP_ENDPOINT']) {
    processors.push(new BatchSpanProcessor(new OTLPTraceExporter()));
  }
  const sdk = new NodeSDK({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: env['OTEL_SERVICE_NAME'] ?? serviceName,
    }),
    spanProcessors: processors,
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => isUntraced(request.url),
      }),
      // fetch(): service-to-service calls. Health polls and background loops run outside any
      // span and would each start a trace of their own, so only calls inside one are traced;
      // a readiness check made during a request is not part of it either.
      new UndiciInstrumentation({
        requireParentforSpans: true,
        ignoreRequestHook: (request) => isUntraced(request.path),
      }),
      new ExpressInstrumentation(),
      new PgInstrumentation({ requireParentSpan: true }),
      new IORedisInstrumentation({ requireParentSpan: true }),
      new MongooseInstrumentation({ requireParentSpan: true }),
      new SocketIoInstrumentation({
        onHook: (span, { payload }) => span.setAttributes(chatAttributesOf(payload[0])),
        emitHook: (span, { payload }) => span.setAttributes(chatAttributesOf(payload[0])),
      }),
    ],
  });
  sdk.start();
  return sdk;
}
