// A small JSON-schema validator for the subset structural CRD schemas use (OpenAPI v3):
// type, properties, required, additionalProperties, items, enum, bounds, pattern, anyOf.
// Unknown fields are errors (like kubectl's strict field validation) unless
// x-kubernetes-preserve-unknown-fields is set or the object declares no properties at all.
// A keyword it does not know is an error too, so it never skips a rule silently.
export type Schema = Record<string, any>;

const KNOWN = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'enum',
  'minimum',
  'maximum',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'pattern',
  'anyOf',
  'format',
  'description',
  'default',
  'nullable',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-int-or-string',
  'x-kubernetes-map-type',
]);

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function typeMatches(expected: string, actual: string): boolean {
  return expected === actual || (expected === 'number' && actual === 'integer');
}

export function validateSchema(schema: Schema, value: unknown, path = ''): string[] {
  const errors: string[] = [];
  const at = path || '/';
  for (const keyword of Object.keys(schema)) {
    if (!KNOWN.has(keyword)) errors.push(`${at}: unsupported schema keyword ${keyword}`);
  }
  if (value === null && schema.nullable) return errors;
  if (schema['x-kubernetes-int-or-string']) {
    if (!['integer', 'string'].includes(typeOf(value))) errors.push(`${at}: must be int or string`);
  } else if (schema.type) {
    const types = [schema.type].flat() as string[];
    if (!types.some((type) => typeMatches(type, typeOf(value)))) {
      return [...errors, `${at}: must be ${types.join('|')}, is ${typeOf(value)}`];
    }
  }
  if (schema.anyOf) {
    const ok = (schema.anyOf as Schema[]).some(
      (sub) => validateSchema(sub, value, path).length === 0,
    );
    if (!ok) errors.push(`${at}: matches none of anyOf`);
  }
  if (schema.enum && !schema.enum.includes(value))
    errors.push(`${at}: must be one of ${schema.enum.join(', ')}`);
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum)
      errors.push(`${at}: below ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum)
      errors.push(`${at}: above ${schema.maximum}`);
  }
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && value.length < schema.minLength)
      errors.push(`${at}: too short`);
    if (schema.maxLength !== undefined && value.length > schema.maxLength)
      errors.push(`${at}: too long`);
    if (schema.pattern && !new RegExp(schema.pattern, 'u').test(value))
      errors.push(`${at}: must match ${schema.pattern}`);
    if (schema.format === 'date-time' && Number.isNaN(Date.parse(value)))
      errors.push(`${at}: not a date-time`);
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems)
      errors.push(`${at}: too few items`);
    if (schema.maxItems !== undefined && value.length > schema.maxItems)
      errors.push(`${at}: too many items`);
    if (schema.items)
      value.forEach((item, i) =>
        errors.push(...validateSchema(schema.items, item, `${path}/${i}`)),
      );
    const keys = schema['x-kubernetes-list-map-keys'] as string[] | undefined;
    if (keys) {
      const seen = value.map((item) => JSON.stringify(keys.map((k) => item?.[k])));
      if (new Set(seen).size !== seen.length)
        errors.push(`${at}: duplicate list-map keys ${keys.join(',')}`);
    }
  }
  if (typeOf(value) === 'object') {
    const object = value as Record<string, unknown>;
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    for (const name of schema.required ?? []) {
      if (!(name in object)) errors.push(`${at}: missing required ${name}`);
    }
    const freeForm =
      schema['x-kubernetes-preserve-unknown-fields'] ||
      (schema.properties === undefined && schema.additionalProperties === undefined);
    for (const [key, child] of Object.entries(object)) {
      const childPath = `${path}/${key}`;
      if (properties[key]) errors.push(...validateSchema(properties[key], child, childPath));
      else if (typeof schema.additionalProperties === 'object') {
        errors.push(...validateSchema(schema.additionalProperties, child, childPath));
      } else if (!freeForm || schema.additionalProperties === false) {
        errors.push(`${childPath}: unknown field`);
      }
    }
  }
  return errors;
}

/** Minimal shapes of the Prometheus Operator kinds the chart renders (their CRDs are not here). */
const labelMap = { type: 'object', additionalProperties: { type: 'string' } };
export const operatorShapes: Record<string, Schema> = {
  'monitoring.coreos.com/v1/ServiceMonitor': {
    type: 'object',
    required: ['apiVersion', 'kind', 'metadata', 'spec'],
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object' },
      spec: {
        type: 'object',
        required: ['selector', 'endpoints'],
        properties: {
          selector: {
            type: 'object',
            properties: {
              matchLabels: labelMap,
              matchExpressions: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['key', 'operator'],
                  properties: {
                    key: { type: 'string' },
                    operator: { enum: ['In', 'NotIn', 'Exists', 'DoesNotExist'] },
                    values: { type: 'array', items: { type: 'string' } },
                  },
                },
              },
            },
          },
          endpoints: {
            type: 'array',
            minItems: 1,
            items: {
              type: 'object',
              properties: {
                port: { type: 'string' },
                path: { type: 'string', pattern: '^/' },
                interval: { type: 'string', pattern: '^[0-9]+(ms|s|m|h)$' },
                scrapeTimeout: { type: 'string', pattern: '^[0-9]+(ms|s|m|h)$' },
                honorLabels: { type: 'boolean' },
                relabelings: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: {
                      sourceLabels: {
                        type: 'array',
                        items: { type: 'string', pattern: '^[a-zA-Z_][a-zA-Z0-9_]*$' },
                      },
                      separator: { type: 'string' },
                      targetLabel: { type: 'string' },
                      regex: { type: 'string' },
                      replacement: { type: 'string' },
                      action: { type: 'string' },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
  'monitoring.coreos.com/v1/PrometheusRule': {
    type: 'object',
    required: ['apiVersion', 'kind', 'metadata', 'spec'],
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object' },
      spec: {
        type: 'object',
        required: ['groups'],
        properties: {
          groups: {
            type: 'array',
            items: {
              type: 'object',
              required: ['name', 'rules'],
              properties: {
                name: { type: 'string', minLength: 1 },
                interval: { type: 'string' },
                limit: { type: 'integer' },
                rules: {
                  type: 'array',
                  items: {
                    type: 'object',
                    required: ['expr'],
                    properties: {
                      alert: { type: 'string' },
                      record: { type: 'string' },
                      expr: { anyOf: [{ type: 'string' }, { type: 'integer' }] },
                      for: { type: 'string' },
                      keep_firing_for: { type: 'string' },
                      labels: labelMap,
                      annotations: labelMap,
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};
