// The collector config is consistent: pipelines use only defined components, memory_limiter
// runs first and batch last, OTLP comes in on both standard ports, traces go to the backend.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';

type Section = Record<string, unknown>;
interface CollectorConfig {
  receivers: { otlp: { protocols: { grpc: { endpoint: string }; http: { endpoint: string } } } };
  processors: Section;
  exporters: Section;
  extensions: Section;
  service: {
    extensions: string[];
    pipelines: Record<string, { receivers: string[]; processors: string[]; exporters: string[] }>;
  };
}

const config = parse(
  readFileSync(join(__dirname, '..', 'otel-collector', 'config.yaml'), 'utf8'),
) as CollectorConfig;

test('OTLP is received over gRPC 4317 and HTTP 4318', () => {
  assert.equal(config.receivers.otlp.protocols.grpc.endpoint, '0.0.0.0:4317');
  assert.equal(config.receivers.otlp.protocols.http.endpoint, '0.0.0.0:4318');
});

test('pipelines only reference defined components', () => {
  const sections = {
    receivers: config.receivers,
    processors: config.processors,
    exporters: config.exporters,
  } as Record<string, Section>;
  for (const [name, pipeline] of Object.entries(config.service.pipelines)) {
    for (const kind of ['receivers', 'processors', 'exporters'] as const) {
      for (const id of pipeline[kind]) assert.ok(id in (sections[kind] ?? {}), `${name}: ${id}`);
    }
  }
  for (const id of config.service.extensions) assert.ok(id in config.extensions, id);
});

test('traces: memory_limiter first, batch last, to the tracing backend and debug', () => {
  const traces = config.service.pipelines.traces;
  assert.ok(traces);
  assert.deepEqual(traces.receivers, ['otlp']);
  assert.equal(traces.processors[0], 'memory_limiter');
  assert.equal(traces.processors.at(-1), 'batch');
  assert.deepEqual(traces.exporters.slice().sort(), ['debug', 'otlp/tracing']);
  assert.deepEqual(config.exporters['otlp/tracing'], {
    endpoint: '${env:TRACING_BACKEND_ENDPOINT}',
    tls: { insecure: true },
    sending_queue: { enabled: true },
    retry_on_failure: { enabled: true },
  });
});
