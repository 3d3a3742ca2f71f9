import { API_PREFIX, apiRoutes, type ApiRoute } from '../routes.js';
import { paginated, queryParameters, requestBodies, responses, schemas } from './schemas.js';

type Json = Record<string, unknown>;

const problem = (description: string): Json => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

function operationKey(route: ApiRoute): string {
  return `${route.method} ${route.path}`;
}

function parameters(route: ApiRoute): Json[] {
  const path = [...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    schema: name === 'nickname' ? { type: 'string' } : { type: 'string', format: 'uuid' },
  }));
  const key = operationKey(route);
  const query = Object.entries(queryParameters[key] ?? {}).map(([name, schema]) => ({
    name,
    in: 'query',
    schema,
  }));
  const page = paginated.has(key)
    ? [
        {
          name: 'limit',
          in: 'query',
          schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
        },
        { name: 'cursor', in: 'query', schema: { type: 'string' } },
      ]
    : [];
  return [...path, ...query, ...page];
}

function operation(route: ApiRoute): Json {
  const key = operationKey(route);
  const [status, body] = responses[key] ?? [200];
  const success: Json = { description: route.summary };
  if (body) success['content'] = { 'application/json': { schema: body } };
  const requestBody = requestBodies[key];
  return {
    operationId: key.replace(/[^a-zA-Z0-9]+(.)?/g, (_m, c?: string) => (c ? c.toUpperCase() : '')),
    summary: route.summary,
    tags: [route.upstream],
    ...(route.public ? { security: [] } : {}),
    parameters: parameters(route),
    ...(requestBody
      ? {
          requestBody: { required: true, content: { 'application/json': { schema: requestBody } } },
        }
      : {}),
    responses: {
      [String(status)]: success,
      '400': problem('Invalid input'),
      ...(route.public ? {} : { '401': problem('Missing, invalid, expired or revoked token') }),
      '404': problem('Unknown or not visible to you'),
      '429': problem('Rate limited; see Retry-After'),
    },
  };
}

/** The OpenAPI 3.1 document of the external API, built from the gateway's own route table. */
export function openApiDocument(): Json {
  const paths: Record<string, Json> = {};
  for (const route of apiRoutes) {
    const path = `${API_PREFIX}${route.path}`;
    paths[path] = { ...paths[path], [route.method]: operation(route) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Messenger API',
      version: '1.0.0',
      description:
        'REST API of the messenger platform. Real-time events use Socket.IO at /ws (websocket transport).',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas,
    },
    paths,
  };
}
