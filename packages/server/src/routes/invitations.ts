import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { type Core, newInvitationSchema } from '@rapport/core';
import { accessOf } from '../access';
import type { AppEnv } from '../context';
import { validationHook } from '../errors';
import { idParam, jsonContent, problemResponses } from '../schemas';

const invitationView = z
  .object({ id: z.uuid(), email: z.string(), role: z.string(), status: z.enum(['pending', 'accepted', 'expired', 'revoked']), expiresAt: z.string(), createdAt: z.string() })
  .openapi('Invitation');
const errors = { 400: problemResponses[400], 401: problemResponses[401], 403: problemResponses[403], 404: problemResponses[404], 409: problemResponses[409], 422: problemResponses[422] };

const routes = {
  list: createRoute({ method: 'get', path: '/invitations', tags: ['Users'], summary: 'Invitations of the workspace and their status', responses: { 200: jsonContent(z.object({ data: z.array(invitationView) }), 'Invitations'), ...errors } }),
  create: createRoute({
    method: 'post',
    path: '/invitations',
    tags: ['Users'],
    summary: 'Invite someone by email: a single-use link valid 7 days (also in this answer, for when mail is not set up)',
    request: { body: { required: true, content: { 'application/json': { schema: newInvitationSchema } } } },
    responses: { 201: jsonContent(z.object({ invitation: invitationView, link: z.string() }), 'Invited'), ...errors },
  }),
  revoke: createRoute({ method: 'delete', path: '/invitations/{id}', tags: ['Users'], summary: 'Revoke a pending invitation', request: { params: idParam }, responses: { 204: { description: 'Revoked' }, ...errors } }),
};

export function invitationRoutes(core: Core) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.openapi(routes.list, async (c) => c.json({ data: await core.invitations.list(await accessOf(core, c)) }, 200));
  app.openapi(routes.create, async (c) => c.json(await core.invitations.create(await accessOf(core, c), c.req.valid('json')), 201));
  app.openapi(routes.revoke, async (c) => {
    await core.invitations.revoke(await accessOf(core, c), c.req.valid('param').id);
    return c.body(null, 204);
  });
  return app;
}
