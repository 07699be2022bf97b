import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Core } from '@rapport/core';
import type { AppEnv } from '../context';
import { validationHook } from '../errors';
import { jsonContent, problemResponses } from '../schemas';

const hit = z
  .object({
    object: z.string(),
    id: z.uuid(),
    label: z.string().nullable(),
    score: z.number(),
    matchedField: z.string(),
    record: z.record(z.string(), z.unknown()),
  })
  .openapi('SearchHit');

const search = createRoute({
  method: 'get',
  path: '/search',
  tags: ['Search'],
  summary: 'Search records across objects (prefix, accent-insensitive)',
  request: {
    query: z.strictObject({
      q: z.string().max(200).openapi({ example: 'eloise' }),
      objects: z.string().max(1000).optional().openapi({ description: 'Comma-separated object names' }),
      limit: z.coerce.number().int().min(1).max(100).optional(),
    }),
  },
  responses: { 200: jsonContent(z.object({ data: z.array(hit) }), 'Best matches first'), 400: problemResponses[400], 401: problemResponses[401], 404: problemResponses[404] },
});

export function searchRoutes(core: Core) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.openapi(search, async (c) => {
    const { q, objects, limit } = c.req.valid('query');
    const names = objects?.split(',').map((name) => name.trim()).filter(Boolean);
    return c.json(await core.records.search(c.get('auth').actor, q, { objects: names, limit }), 200);
  });
  return app;
}
