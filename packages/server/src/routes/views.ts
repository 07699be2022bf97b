import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { type Core, newViewSchema, viewPatchSchema } from '@rapport/core';
import type { AppEnv } from '../context';
import { validationHook } from '../errors';
import { jsonContent, problemResponses } from '../schemas';

const viewSchema = z
  .object({
    id: z.uuid(),
    object: z.string(),
    name: z.string(),
    columns: z.array(z.string()).openapi({ description: 'Field names in order (those the reader may not read, or that were deleted, are left out)' }),
    filter: z.unknown().openapi({ description: 'As the records list takes it, or null; its conditions on fields the reader may not read are left out' }),
    sort: z.string().nullable().openapi({ description: 'As the records list takes it ("-createdAt,name"), or null; keys on fields the reader may not read are left out' }),
    groupBy: z.string().nullable().openapi({ description: 'A select field (kanban), or null; null when the reader may not read it' }),
    visibility: z.enum(['private', 'team', 'workspace']),
    teamId: z.uuid().nullable(),
    ownerId: z.uuid(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('View');
const idParam = z.object({ id: z.string().max(64).openapi({ param: { name: 'id', in: 'path' } }) });
const errors = { 400: problemResponses[400], 401: problemResponses[401], 403: problemResponses[403], 404: problemResponses[404], 422: problemResponses[422] };
const json = <T extends z.ZodType>(schema: T) => ({ body: { required: true, content: { 'application/json': { schema } } } });

const routes = {
  list: createRoute({ method: 'get', path: '/views', tags: ['Views'], summary: 'The saved views of an object I may see: mine, my teams’, the workspace’s', request: { query: z.strictObject({ object: z.string().min(1).max(100) }) }, responses: { 200: jsonContent(z.object({ data: z.array(viewSchema) }), 'Views'), ...errors } }),
  create: createRoute({ method: 'post', path: '/views', tags: ['Views'], summary: 'Save a view (columns, filter, sort, grouping), private or shared with a team or the workspace', request: json(newViewSchema), responses: { 201: jsonContent(viewSchema, 'Saved'), ...errors } }),
  get: createRoute({ method: 'get', path: '/views/{id}', tags: ['Views'], summary: 'One view', request: { params: idParam }, responses: { 200: jsonContent(viewSchema, 'The view'), ...errors } }),
  update: createRoute({ method: 'patch', path: '/views/{id}', tags: ['Views'], summary: 'Change a view (its owner, or a settings admin)', request: { params: idParam, ...json(viewPatchSchema) }, responses: { 200: jsonContent(viewSchema, 'Changed'), ...errors } }),
  remove: createRoute({ method: 'delete', path: '/views/{id}', tags: ['Views'], summary: 'Delete a view (its owner, or a settings admin)', request: { params: idParam }, responses: { 204: { description: 'Deleted' }, ...errors } }),
};

export function viewRoutes(core: Core) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const actor = (c: { get: (key: 'auth') => AppEnv['Variables']['auth'] }) => c.get('auth').actor;
  app.openapi(routes.list, async (c) => c.json({ data: await core.views.list(actor(c), c.req.valid('query').object) }, 200));
  app.openapi(routes.create, async (c) => c.json(await core.views.create(actor(c), c.req.valid('json')), 201));
  app.openapi(routes.get, async (c) => c.json(await core.views.get(actor(c), c.req.valid('param').id), 200));
  app.openapi(routes.update, async (c) => c.json(await core.views.update(actor(c), c.req.valid('param').id, c.req.valid('json')), 200));
  app.openapi(routes.remove, async (c) => {
    await core.views.remove(actor(c), c.req.valid('param').id);
    return c.body(null, 204);
  });
  return app;
}
