import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { type Core, newShareSchema } from '@rapport/core';
import { accessOf } from '../access';
import type { AppEnv } from '../context';
import { validationHook } from '../errors';
import { jsonContent, problemResponses } from '../schemas';

const shareSchema = z
  .object({ id: z.uuid(), userId: z.uuid().nullable(), teamId: z.uuid().nullable(), access: z.enum(['read', 'edit']), createdAt: z.string() })
  .openapi('Share');
const recordParams = z.object({
  object: z.string().max(63).openapi({ param: { name: 'object', in: 'path' } }),
  id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }),
});
const shareParams = recordParams.extend({ shareId: z.uuid().openapi({ param: { name: 'shareId', in: 'path' } }) });
const errors = { 400: problemResponses[400], 401: problemResponses[401], 403: problemResponses[403], 404: problemResponses[404], 422: problemResponses[422] };

const routes = {
  list: createRoute({ method: 'get', path: '/records/{object}/{id}/shares', tags: ['Permissions'], summary: 'Who a record is explicitly shared with', request: { params: recordParams }, responses: { 200: jsonContent(z.object({ data: z.array(shareSchema) }), 'Shares'), ...errors } }),
  create: createRoute({
    method: 'post',
    path: '/records/{object}/{id}/shares',
    tags: ['Permissions'],
    summary: 'Share a record with a user or a team, to read or to edit (needs the right to edit it)',
    request: { params: recordParams, body: { required: true, content: { 'application/json': { schema: newShareSchema } } } },
    responses: { 201: jsonContent(shareSchema, 'Shared'), ...errors },
  }),
  remove: createRoute({ method: 'delete', path: '/records/{object}/{id}/shares/{shareId}', tags: ['Permissions'], summary: 'Stop sharing', request: { params: shareParams }, responses: { 204: { description: 'Removed' }, ...errors } }),
};

export function shareRoutes(core: Core) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.openapi(routes.list, async (c) => {
    const { object, id } = c.req.valid('param');
    return c.json({ data: await core.shares.list(await accessOf(core, c), object, id) }, 200);
  });
  app.openapi(routes.create, async (c) => {
    const { object, id } = c.req.valid('param');
    return c.json(await core.shares.create(await accessOf(core, c), object, id, c.req.valid('json')), 201);
  });
  app.openapi(routes.remove, async (c) => {
    const { object, id, shareId } = c.req.valid('param');
    await core.shares.delete(await accessOf(core, c), object, id, shareId);
    return c.body(null, 204);
  });
  return app;
}
