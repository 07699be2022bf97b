import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { type Core, newApiKeySchema } from '@rapport/core';
import type { AppEnv } from '../context';
import { validationHook } from '../errors';
import { idParam, jsonContent, problemResponses } from '../schemas';

const apiKeySchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    prefix: z.string().openapi({ description: 'The first characters of the token, to recognise it' }),
    role: z.string(),
    createdBy: z.uuid().nullable(),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .openapi('ApiKey');

const createdSchema = z
  .object({ token: z.string().openapi({ description: 'Shown once: only its hash is stored' }), key: apiKeySchema })
  .openapi('ApiKeyCreated');

const listKeys = createRoute({
  method: 'get',
  path: '/api-keys',
  tags: ['API keys'],
  summary: "List the workspace's API keys",
  responses: { 200: jsonContent(z.object({ data: z.array(apiKeySchema) }), 'Keys'), 401: problemResponses[401] },
});

const createKey = createRoute({
  method: 'post',
  path: '/api-keys',
  tags: ['API keys'],
  summary: 'Create an API key; its token is in this answer only',
  request: { body: { required: true, content: { 'application/json': { schema: newApiKeySchema } } } },
  responses: { 201: jsonContent(createdSchema, 'Created'), 400: problemResponses[400], 401: problemResponses[401], 403: problemResponses[403], 422: problemResponses[422] },
});

const revokeKey = createRoute({
  method: 'delete',
  path: '/api-keys/{id}',
  tags: ['API keys'],
  summary: 'Revoke an API key: the next request using it is refused',
  request: { params: idParam },
  responses: { 204: { description: 'Revoked' }, 400: problemResponses[400], 401: problemResponses[401], 404: problemResponses[404] },
});

export function apiKeyRoutes(core: Core) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.openapi(listKeys, async (c) => c.json({ data: await core.identity.listApiKeys(c.get('auth').actor) }, 200));
  app.openapi(createKey, async (c) => c.json(await core.identity.createApiKey(c.get('auth').actor, c.req.valid('json')), 201));
  app.openapi(revokeKey, async (c) => {
    await core.identity.revokeApiKey(c.get('auth').actor, c.req.valid('param').id);
    return c.body(null, 204);
  });
  return app;
}
