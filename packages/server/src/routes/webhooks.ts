import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Core } from '@rapport/core';
import { accessOf } from '../access';
import type { AppEnv } from '../context';
import { validationHook } from '../errors';
import { jsonContent, problemResponses } from '../schemas';
import { newWebhookSchema, type WebhookService } from '../webhooks/webhook-service';

const webhookView = z
  .object({ id: z.string(), url: z.string(), events: z.array(z.string()), objects: z.array(z.string()).nullable(), createdBy: z.string(), createdAt: z.string() })
  .openapi('Webhook');
const deliveryView = z
  .object({ id: z.string(), eventId: z.string(), type: z.string(), status: z.enum(['pending', 'delivered', 'failed']), attempts: z.number().int(), responseStatus: z.number().int().nullable(), lastError: z.string().nullable(), createdAt: z.string(), deliveredAt: z.string().nullable() })
  .openapi('WebhookDelivery');
const idParam = z.object({ id: z.string().max(40).openapi({ param: { name: 'id', in: 'path' } }) });
const errors = { 401: problemResponses[401], 403: problemResponses[403], 404: problemResponses[404] };

const routes = {
  list: createRoute({ method: 'get', path: '/webhooks', tags: ['Webhooks'], summary: "The workspace's webhooks", responses: { 200: jsonContent(z.object({ data: z.array(webhookView) }), 'Webhooks'), ...errors } }),
  create: createRoute({
    method: 'post',
    path: '/webhooks',
    tags: ['Webhooks'],
    summary: 'Send record events to a URL, signed; the answer shows the signing secret, once',
    request: { body: { required: true, content: { 'application/json': { schema: newWebhookSchema } } } },
    responses: { 201: jsonContent(webhookView.extend({ secret: z.string() }), 'Created'), 422: problemResponses[422], ...errors },
  }),
  remove: createRoute({ method: 'delete', path: '/webhooks/{id}', tags: ['Webhooks'], summary: 'Stop a webhook (its pending deliveries go too)', request: { params: idParam }, responses: { 204: { description: 'Deleted' }, ...errors } }),
  deliveries: createRoute({
    method: 'get',
    path: '/webhooks/{id}/deliveries',
    tags: ['Webhooks'],
    summary: 'Its latest deliveries: status, attempts, the answer',
    request: { params: idParam },
    responses: { 200: jsonContent(z.object({ data: z.array(deliveryView) }), 'Deliveries'), ...errors },
  }),
};

export function webhookRoutes(core: Core, webhooks: WebhookService) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.openapi(routes.list, async (c) => c.json({ data: await webhooks.list(await accessOf(core, c)) }, 200));
  app.openapi(routes.create, async (c) => c.json(await webhooks.create(await accessOf(core, c), c.req.valid('json')), 201));
  app.openapi(routes.remove, async (c) => {
    await webhooks.remove(await accessOf(core, c), c.req.valid('param').id);
    return c.body(null, 204);
  });
  app.openapi(routes.deliveries, async (c) => c.json({ data: await webhooks.deliveries(await accessOf(core, c), c.req.valid('param').id) }, 200));
  return app;
}
