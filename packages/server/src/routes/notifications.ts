import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { type Core, markReadSchema, notificationQuerySchema, preferencesSchema } from '@rapport/core';
import type { AppEnv } from '../context';
import { validationHook } from '../errors';
import { jsonContent, problemResponses } from '../schemas';

const localized = z.object({ en: z.string(), fr: z.string().optional() });
const notificationView = z
  .object({
    id: z.uuid(),
    kind: z.string(),
    title: localized,
    body: localized.nullable(),
    link: z.union([z.object({ object: z.string(), id: z.string() }), z.object({ path: z.string() })]).nullable(),
    source: z.string(),
    createdAt: z.string(),
    readAt: z.string().nullable(),
  })
  .openapi('Notification');
const preferenceView = z.object({ kind: z.string(), inApp: z.boolean(), email: z.boolean() }).openapi('NotificationPreference');
const errors = { 400: problemResponses[400], 401: problemResponses[401], 403: problemResponses[403], 422: problemResponses[422] };
const json = <T extends z.ZodType>(schema: T) => ({ body: { required: true, content: { 'application/json': { schema } } } });

const routes = {
  list: createRoute({
    method: 'get',
    path: '/notifications',
    tags: ['Notifications'],
    summary: 'My notifications, newest first, with the unread count (for the bell)',
    request: { query: notificationQuerySchema },
    responses: { 200: jsonContent(z.object({ data: z.array(notificationView), unreadCount: z.number().int() }), 'Notifications'), ...errors },
  }),
  read: createRoute({ method: 'post', path: '/notifications/read', tags: ['Notifications'], summary: 'Mark some ({ "ids": […] }) or all ({ "all": true }) as read', request: json(markReadSchema), responses: { 204: { description: 'Marked' }, ...errors } }),
  preferences: createRoute({ method: 'get', path: '/notifications/preferences', tags: ['Notifications'], summary: 'My preferences per kind (in the app, by mail)', responses: { 200: jsonContent(z.array(preferenceView), 'Preferences'), ...errors } }),
  setPreferences: createRoute({ method: 'put', path: '/notifications/preferences', tags: ['Notifications'], summary: 'Set my preferences for some kinds', request: json(preferencesSchema), responses: { 200: jsonContent(z.array(preferenceView), 'Saved'), ...errors } }),
};

export function notificationRoutes(core: Core) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.openapi(routes.list, async (c) => c.json((await core.notifications.list(c.get('auth').actor, c.req.valid('query'))) as never, 200));
  app.openapi(routes.read, async (c) => {
    await core.notifications.markRead(c.get('auth').actor, c.req.valid('json'));
    return c.body(null, 204);
  });
  app.openapi(routes.preferences, async (c) => c.json(await core.notifications.preferences(c.get('auth').actor), 200));
  app.openapi(routes.setPreferences, async (c) => c.json(await core.notifications.setPreferences(c.get('auth').actor, c.req.valid('json')), 200));
  return app;
}
