import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { type Core, newUserSchema, problems } from '@rapport/core';
import type { AppEnv } from '../context';
import { validationHook } from '../errors';
import { jsonContent, problemResponses } from '../schemas';

const userSchema = z
  .object({ id: z.uuid(), email: z.string(), name: z.string(), locale: z.string(), role: z.string(), createdAt: z.string() })
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

export function userRoutes(core: Core) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.openapi(listUsers, async (c) => c.json({ data: await core.identity.listUsers(c.get('auth').actor.workspaceId) }, 200));
  app.openapi(createUser, async (c) => {
    const { actor } = c.get('auth');
    if (actor.role !== 'admin') throw problems.forbidden('Only admins may add users');
    return c.json(await core.identity.createUser(actor.workspaceId, c.req.valid('json')), 201);
  });
  return app;
}
