import { z } from 'zod';
import { idSchema } from '../ids.js';
import { errors } from './errors.js';
import type { Operation } from './operation.js';
import { pageOf, pageQuerySchema } from './page.js';
import { timeSchema } from './text.js';

export const sessionSchema = z
  .object({
    id: idSchema,
    createdAt: timeSchema,
    lastUsedAt: timeSchema,
    userAgent: z.string().nullable(),
    ip: z.string().nullable(),
    current: z.boolean(),
  })
  .meta({
    examples: [
      {
        id: '0f8fad5b-d9cb-469f-a165-70867728950e',
        createdAt: '2026-11-21T10:00:00.000Z',
        lastUsedAt: '2026-11-21T10:05:00.000Z',
        userAgent: 'Mozilla/5.0',
        ip: '203.0.113.7',
        current: true,
      },
    ],
  });

export const sessionParamsSchema = z.object({ sessionId: idSchema });

/** docs/api.md, "Sessions". */
export const sessionOperations = [
  {
    method: 'get',
    path: '/sessions',
    summary: 'List your sessions',
    query: pageQuerySchema,
    success: [{ status: 200, description: 'Your live sessions', body: pageOf(sessionSchema) }],
    errors: [],
  },
  {
    method: 'delete',
    path: '/sessions',
    summary: 'Revoke all sessions but the current one',
    success: [{ status: 204, description: 'Revoked' }],
    errors: [],
  },
  {
    method: 'delete',
    path: '/sessions/{sessionId}',
    summary: 'Revoke one of your sessions',
    params: sessionParamsSchema,
    success: [{ status: 204, description: 'Revoked' }],
    errors: [errors.notFound],
  },
] as const satisfies readonly Operation[];
