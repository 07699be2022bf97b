import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { auditQuerySchema, type Core, queryAudit } from '@rapport/core';
import { accessOf } from '../access';
import type { AppEnv } from '../context';
import { validationHook } from '../errors';
import { jsonContent, problemResponses } from '../schemas';

const entrySchema = z
  .object({
    id: z.number().int(),
    at: z.string(),
    action: z.string(),
    outcome: z.enum(['success', 'failure']),
    actorKind: z.string(),
    actorId: z.string().nullable(),
    userId: z.string().nullable(),
    target: z.string().nullable(),
    ip: z.string().nullable(),
    detail: z.record(z.string(), z.unknown()),
  })
  .openapi('AuditEntry');

const list = createRoute({
  method: 'get',
  path: '/audit',
  tags: ['Permissions'],
  summary: 'The access audit (sign-ins, permission changes, key use, exports, sensitive reads), newest first; append-only',
  request: { query: auditQuerySchema },
  responses: {
    200: jsonContent(z.object({ data: z.array(entrySchema), nextBefore: z.number().int().nullable() }), 'Entries'),
    400: problemResponses[400],
    401: problemResponses[401],
    403: problemResponses[403],
    422: problemResponses[422],
  },
});

export function auditRoutes(core: Core) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.openapi(list, async (c) => c.json((await queryAudit(core.database.db, await accessOf(core, c), c.req.valid('query'))) as never, 200));
  return app;
}
