import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { type Core, memberChangeSchema, newUserSchema } from '@rapport/core';
import { accessOf } from '../access';
import type { AppEnv } from '../context';
import { validationHook } from '../errors';
import { idParam, jsonContent, problemResponses } from '../schemas';

const userSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    locale: z.string(),
    role: z.string(),
    managerId: z.uuid().nullable(),
    deactivated: z.boolean(),
    createdAt: z.string(),
  })
  .openapi('User');

const listUsers = createRoute({
  method: 'get',
  path: '/users',
  tags: ['Users'],
  summary: 'Members of the workspace',
  responses: { 200: jsonContent(z.object({ data: z.array(userSchema) }), 'Users'), 401: problemResponses[401] },
});

const createUser = createRoute({
  method: 'post',
  path: '/users',
  tags: ['Users'],
  summary: 'Add a user to the workspace (admins only)',
  request: { body: { required: true, content: { 'application/json': { schema: newUserSchema } } } },
  responses: {
    201: jsonContent(z.object({ user: userSchema, generatedPassword: z.string().optional() }), 'Created'),
    400: problemResponses[400],
    401: problemResponses[401],
    403: problemResponses[403],
    409: problemResponses[409],
    422: problemResponses[422],
  },
});

const errors = { 400: problemResponses[400], 401: problemResponses[401], 403: problemResponses[403], 404: problemResponses[404], 422: problemResponses[422] };

const updateUser = createRoute({
  method: 'patch',
  path: '/users/{id}',
  tags: ['Users'],
  summary: "Change a member's role or manager (admins of users only); takes effect at once",
  request: { params: idParam, body: { required: true, content: { 'application/json': { schema: memberChangeSchema } } } },
  responses: { 200: jsonContent(userSchema, 'Updated'), ...errors },
});

const deactivateUser = createRoute({
  method: 'post',
  path: '/users/{id}/deactivate',
  tags: ['Users'],
  summary: 'Deactivate a member: their sessions and API keys stop working at once; their records stay',
  request: { params: idParam },
  responses: { 200: jsonContent(userSchema, 'Deactivated'), ...errors },
});

const reactivateUser = createRoute({
  method: 'post',
  path: '/users/{id}/reactivate',
  tags: ['Users'],
  summary: 'Reactivate a member (they sign in again; their old keys stay revoked)',
  request: { params: idParam },
  responses: { 200: jsonContent(userSchema, 'Reactivated'), ...errors },
});

export function userRoutes(core: Core) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.openapi(listUsers, async (c) => c.json({ data: await core.identity.listUsers(c.get('auth').actor.workspaceId) }, 200));
  app.openapi(createUser, async (c) => c.json(await core.members.add(await accessOf(core, c), c.req.valid('json')), 201));
  app.openapi(updateUser, async (c) => {
    const access = await accessOf(core, c);
    const { id } = c.req.valid('param');
    await core.members.update(access, id, c.req.valid('json'));
    return c.json(await core.identity.getUser(access.actor.workspaceId, id), 200);
  });
  app.openapi(deactivateUser, async (c) => {
    const access = await accessOf(core, c);
    const { id } = c.req.valid('param');
    await core.members.deactivate(access, id);
    return c.json(await core.identity.getUser(access.actor.workspaceId, id), 200);
  });
  app.openapi(reactivateUser, async (c) => {
    const access = await accessOf(core, c);
    const { id } = c.req.valid('param');
    await core.members.reactivate(access, id);
    return c.json(await core.identity.getUser(access.actor.workspaceId, id), 200);
  });
  return app;
}
