import { z } from 'zod';
import {
  authResultSchema,
  blockSchema,
  chatSchema,
  friendRequestSchema,
  friendSchema,
  messageSchema,
  presenceSchema,
  problemSchema,
  profileSchema,
  receiptsSchema,
  sessionSchema,
  userSchema,
  type Operation,
} from '@messenger/contracts';

type Json = Record<string, unknown>;

/** The shapes clients meet in many answers, under the names the document gives them. */
const namedShapes: Record<string, z.ZodType> = {
  Problem: problemSchema,
  User: userSchema,
  AuthResult: authResultSchema,
  Session: sessionSchema,
  Profile: profileSchema,
  FriendRequest: friendRequestSchema,
  Friend: friendSchema,
  Block: blockSchema,
  Chat: chatSchema,
  Message: messageSchema,
  Receipts: receiptsSchema,
  Presence: presenceSchema,
};

export const schemaRef = (id: string): Json => ({ $ref: `#/components/schemas/${id}` });

/**
 * Answers list the fields a client can rely on; the API may add fields (docs/api.md), so an
 * answer's object stays open unless its schema is strict. A `uuid` or `date-time` format says
 * what zod's long regex says, so the regex is left out.
 */
function openApiOverride(io: 'input' | 'output') {
  return ({ zodSchema, jsonSchema }: { zodSchema: z.core.$ZodType; jsonSchema: Json }): void => {
    const def = zodSchema._zod.def;
    if (io === 'output' && def.type === 'object' && !('catchall' in def && def.catchall))
      delete jsonSchema['additionalProperties'];
    if (jsonSchema['format'] === 'uuid' || jsonSchema['format'] === 'date-time')
      delete jsonSchema['pattern'];
  };
}

/** A registry's schemas as OpenAPI components, without `$id`/`$schema` (the document is their context). */
function toOpenApi(registry: z.core.$ZodRegistry<{ id: string }>, io: 'input' | 'output'): Json {
  const { schemas } = z.toJSONSchema(registry, {
    io,
    uri: (id) => `#/components/schemas/${id}`,
    override: openApiOverride(io),
  });
  return Object.fromEntries(
    Object.entries(schemas).map(([id, { $id: _id, $schema: _schema, ...schema }]) => [id, schema]),
  );
}

/**
 * Names every request and answer body of the operations: named shapes by their name, others by
 * the operation (`<operationId>Request`, `<operationId><status>`), and converts them with zod's
 * JSON Schema output, requests as clients send them and answers as the server returns them.
 */
export class Components {
  private readonly requests = z.registry<{ id: string }>();
  private readonly answers = z.registry<{ id: string }>();
  private readonly ids = new Map<z.ZodType, string>();

  constructor() {
    for (const [id, schema] of Object.entries(namedShapes)) this.name(this.answers, schema, id);
  }

  requestRef(operationId: string, schema: z.ZodType): Json {
    return schemaRef(this.name(this.requests, schema, `${operationId}Request`));
  }

  answerRef(operationId: string, status: number, schema: z.ZodType): Json {
    return schemaRef(this.name(this.answers, schema, `${operationId}${status}`));
  }

  /** Every component, requests and answers. */
  schemas(): Json {
    return { ...toOpenApi(this.answers, 'output'), ...toOpenApi(this.requests, 'input') };
  }

  private name(
    registry: z.core.$ZodRegistry<{ id: string }>,
    schema: z.ZodType,
    id: string,
  ): string {
    const known = this.ids.get(schema);
    if (known) return known;
    registry.add(schema, { id });
    this.ids.set(schema, id);
    return id;
  }
}

/** Path and query parameters of an operation, as clients write them. */
export function parametersOf(operation: Operation): Json[] {
  return (['path', 'query'] as const).flatMap((where) => {
    const schema = where === 'path' ? operation.params : operation.query;
    if (!schema) return [];
    const json = z.toJSONSchema(schema, { io: 'input', override: openApiOverride('input') }) as {
      properties?: Record<string, Json>;
      required?: string[];
    };
    return Object.entries(json.properties ?? {}).map(([name, property]) => {
      const { description, ...rest } = property;
      return {
        name,
        in: where,
        required: where === 'path' || (json.required ?? []).includes(name),
        ...(typeof description === 'string' ? { description } : {}),
        schema: rest,
      };
    });
  });
}
