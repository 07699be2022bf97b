import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { type Core, newRoleSchema, roleChangeSchema, roleDefinitionSchema } from '@rapport/core';
import { accessOf } from '../access';
import type { AppEnv } from '../context';
import { validationHook } from '../errors';
import { jsonContent, problemResponses } from '../schemas';

const roleSchema = z
  .object({
    key: z.string(),
    labels: z.object({ en: z.string(), fr: z.string().optional() }),
    definition: roleDefinitionSchema,
    preset: z.boolean(),
    edited: z.boolean(),
    members: z.number().int(),
  })
  .openapi('Role');

const keyParam = z.object({ key: z.string().max(40).openapi({ param: { name: 'key', in: 'path' } }) });
const errors = { 400: problemResponses[400], 401: problemResponses[401], 403: problemResponses[403], 404: problemResponses[404], 409: problemResponses[409], 422: problemResponses[422] };
const json = <T extends z.ZodType>(schema: T) => ({ body: { required: true, content: { 'application/json': { schema } } } });

const routes = {
  list: createRoute({ method: 'get', path: '/roles', tags: ['Permissions'], summary: 'Roles of the workspace: presets (as edited) and custom ones', responses: { 200: jsonContent(z.object({ data: z.array(roleSchema) }), 'Roles'), 401: errors[401] } }),
  create: createRoute({ method: 'post', path: '/roles', tags: ['Permissions'], summary: 'Create a role (never allowing more than your own)', request: json(newRoleSchema), responses: { 201: jsonContent(roleSchema, 'Created'), ...errors } }),
  get: createRoute({ method: 'get', path: '/roles/{key}', tags: ['Permissions'], summary: 'One role', request: { params: keyParam }, responses: { 200: jsonContent(roleSchema, 'The role'), 401: errors[401], 404: errors[404] } }),
  update: createRoute({ method: 'patch', path: '/roles/{key}', tags: ['Permissions'], summary: "Change a role's labels or definition; takes effect at once", request: { params: keyParam, ...json(roleChangeSchema) }, responses: { 200: jsonContent(roleSchema, 'Updated'), ...errors } }),
  remove: createRoute({ method: 'delete', path: '/roles/{key}', tags: ['Permissions'], summary: 'Delete a custom role nobody has, or reset an edited preset', request: { params: keyParam }, responses: { 204: { description: 'Deleted' }, ...errors } }),
};

export function roleRoutes(core: Core) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.openapi(routes.list, async (c) => c.json({ data: await core.roles.list(await accessOf(core, c)) }, 200));
  app.openapi(routes.create, async (c) => c.json(await core.roles.create(await accessOf(core, c), c.req.valid('json')), 201));
  app.openapi(routes.get, async (c) => c.json(await core.roles.get(await accessOf(core, c), c.req.valid('param').key), 200));
  app.openapi(routes.update, async (c) => c.json(await core.roles.update(await accessOf(core, c), c.req.valid('param').key, c.req.valid('json')), 200));
  app.openapi(routes.remove, async (c) => {
    await core.roles.delete(await accessOf(core, c), c.req.valid('param').key);
    return c.body(null, 204);
  });
  return app;
}
