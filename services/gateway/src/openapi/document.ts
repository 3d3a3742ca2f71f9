import {
  operationKey,
  problemsOf,
  type ErrorSpec,
  type Operation,
  type Success,
} from '@messenger/contracts';
import { problemTitle } from '@messenger/platform';
import { API_PREFIX, apiRoutes, contractOf } from '../routes.js';
import { Components, parametersOf, schemaRef } from './components.js';

type Json = Record<string, unknown>;

/** One tag per first path segment. */
const tags: Record<string, string> = {
  auth: 'Accounts, logins and tokens',
  sessions: 'Your sessions',
  profiles: 'Public profiles',
  friends: 'Friend requests and friendships',
  blocks: 'Users you block',
  chats: 'Direct and group chats, messages, read marks and receipts',
  presence: "Your friends' presence",
  search: 'Searching your messages',
  uploads: 'Uploading attachments',
};

function tagOf(path: string): string {
  const tag = path.split('/')[1] ?? '';
  if (!(tag in tags)) throw new Error(`${path} has no tag`);
  return tag;
}

/** `post /auth/verify-email/resend` → `postAuthVerifyEmailResend`. */
function operationId(operation: Operation): string {
  return operationKey(operation).replace(/[^a-zA-Z0-9]+(.)?/g, (_m, c?: string) =>
    c ? c.toUpperCase() : '',
  );
}

function successResponse(components: Components, id: string, success: Success): Json {
  return {
    description: success.description,
    ...(success.status === 302
      ? { headers: { Location: { description: 'Where to go', schema: { type: 'string' } } } }
      : {}),
    ...(success.body
      ? {
          content: {
            'application/json': { schema: components.answerRef(id, success.status, success.body) },
          },
        }
      : {}),
  };
}

/** An example problem of each code, referenced from every response that may carry it. */
function problemExample(spec: ErrorSpec): Json {
  return {
    summary: spec.meaning,
    value: {
      type: `https://messenger.dev/problems/${spec.code}`,
      title: problemTitle(spec.status),
      status: spec.status,
      detail: spec.meaning,
      code: spec.code,
    },
  };
}

const exampleId = (spec: ErrorSpec): string => `${spec.code}_${spec.status}`;

/** One response per status, listing each `code` it may carry. */
function problemResponse(specs: readonly ErrorSpec[]): Json {
  const retryAfter = specs.some((spec) => spec.status === 429 || spec.status === 503);
  return {
    description: specs.map((spec) => `\`${spec.code}\`: ${spec.meaning}`).join(' '),
    ...(retryAfter
      ? {
          headers: {
            'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } },
          },
        }
      : {}),
    content: {
      'application/problem+json': {
        schema: schemaRef('Problem'),
        examples: Object.fromEntries(
          specs.map((spec) => [spec.code, { $ref: `#/components/examples/${exampleId(spec)}` }]),
        ),
      },
    },
  };
}

function operationObject(components: Components, operation: Operation): Json {
  const id = operationId(operation);
  const byStatus = new Map<number, ErrorSpec[]>();
  for (const spec of problemsOf(operation, true))
    byStatus.set(spec.status, [...(byStatus.get(spec.status) ?? []), spec]);
  return {
    operationId: id,
    summary: operation.summary,
    tags: [tagOf(operation.path)],
    ...(operation.public ? { security: [] } : {}),
    parameters: parametersOf(operation),
    ...(operation.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: components.requestRef(id, operation.body) } },
          },
        }
      : {}),
    responses: Object.fromEntries([
      ...operation.success.map((success) => [
        String(success.status),
        successResponse(components, id, success),
      ]),
      ...[...byStatus].map(([status, specs]) => [String(status), problemResponse(specs)]),
    ]),
  };
}

/**
 * The OpenAPI 3.1 document of the external API, generated from the contracts
 * (`@messenger/contracts`) of the gateway's routes.
 */
export function openApiDocument(): Json {
  const components = new Components();
  const paths: Record<string, Json> = {};
  const examples: Record<string, Json> = {};
  for (const route of apiRoutes) {
    const operation = contractOf(route);
    for (const spec of problemsOf(operation, true))
      examples[exampleId(spec)] = problemExample(spec);
    const path = `${API_PREFIX}${operation.path}`;
    paths[path] = { ...paths[path], [operation.method]: operationObject(components, operation) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Messenger API',
      version: '1.0.0',
      description:
        'REST API of the messenger platform. Real-time events use Socket.IO at /ws (websocket transport).',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    tags: Object.entries(tags).map(([name, description]) => ({ name, description })),
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: components.schemas(),
      examples,
    },
    paths,
  };
}
