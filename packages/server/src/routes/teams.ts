import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { type Core, teamChangeSchema, teamInputSchema } from '@rapport/core';
import { accessOf } from '../access';
import type { AppEnv } from '../context';
import { validationHook } from '../errors';
import { idParam, jsonContent, problemResponses } from '../schemas';

const teamSchema = z.object({ id: z.uuid(), name: z.string(), members: z.array(z.uuid()) }).openapi('Team');
const errors = { 400: problemResponses[400], 401: problemResponses[401], 403: problemResponses[403], 404: problemResponses[404], 409: problemResponses[409], 422: problemResponses[422] };
const json = <T extends z.ZodType>(schema: T) => ({ body: { required: true, content: { 'application/json': { schema } } } });

const routes = {
  list: createRoute({ method: 'get', path: '/teams', tags: ['Permissions'], summary: 'Teams and their members', responses: { 200: jsonContent(z.object({ data: z.array(teamSchema) }), 'Teams'), 401: errors[401] } }),
  create: createRoute({ method: 'post', path: '/teams', tags: ['Permissions'], summary: 'Create a team', request: json(teamInputSchema), responses: { 201: jsonContent(teamSchema, 'Created'), ...errors } }),
  get: createRoute({ method: 'get', path: '/teams/{id}', tags: ['Permissions'], summary: 'One team', request: { params: idParam }, responses: { 200: jsonContent(teamSchema, 'The team'), 400: errors[400], 401: errors[401], 404: errors[404] } }),
  update: createRoute({ method: 'patch', path: '/teams/{id}', tags: ['Permissions'], summary: "Rename a team or replace its members", request: { params: idParam, ...json(teamChangeSchema) }, responses: { 200: jsonContent(teamSchema, 'Updated'), ...errors } }),
  remove: createRoute({ method: 'delete', path: '/teams/{id}', tags: ['Permissions'], summary: 'Delete a team', request: { params: idParam }, responses: { 204: { description: 'Deleted' }, ...errors } }),
};

export function teamRoutes(core: Core) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.openapi(routes.list, async (c) => c.json({ data: await core.teams.list(await accessOf(core, c)) }, 200));
  app.openapi(routes.create, async (c) => c.json(await core.teams.create(await accessOf(core, c), c.req.valid('json')), 201));
  app.openapi(routes.get, async (c) => c.json(await core.teams.get(await accessOf(core, c), c.req.valid('param').id), 200));
  app.openapi(routes.update, async (c) => c.json(await core.teams.update(await accessOf(core, c), c.req.valid('param').id, c.req.valid('json')), 200));
  app.openapi(routes.remove, async (c) => {
    await core.teams.delete(await accessOf(core, c), c.req.valid('param').id);
    return c.body(null, 204);
  });
  return app;
}
