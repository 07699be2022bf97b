import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { type Core, smtpSettingsSchema, presentSmtpSettings } from '@rapport/core';
import { accessOf } from '../access';
import type { AppEnv } from '../context';
import { validationHook } from '../errors';
import { jsonContent, problemResponses } from '../schemas';

const settingsView = z
  .object({ host: z.string(), port: z.number().int(), secure: z.boolean(), user: z.string().optional(), from: z.string(), passwordSet: z.boolean() })
  .nullable()
  .openapi('SmtpSettings', { description: 'null: the server default (RAPPORT_SMTP_URL) is used' });
const messageView = z
  .object({
    id: z.uuid(),
    kind: z.string(),
    to: z.string(),
    subject: z.string(),
    status: z.enum(['queued', 'sent', 'failed']),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    nextAttemptAt: z.string().nullable(),
    sentAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('MailMessage');
const errors = { 400: problemResponses[400], 401: problemResponses[401], 403: problemResponses[403], 422: problemResponses[422] };

const routes = {
  getSettings: createRoute({ method: 'get', path: '/settings/mail', tags: ['Mail'], summary: "The workspace's SMTP settings (the password is never shown)", responses: { 200: jsonContent(settingsView, 'Settings'), ...errors } }),
  putSettings: createRoute({
    method: 'put',
    path: '/settings/mail',
    tags: ['Mail'],
    summary: "Set the workspace's SMTP server (an omitted password keeps the current one)",
    request: { body: { required: true, content: { 'application/json': { schema: smtpSettingsSchema } } } },
    responses: { 200: jsonContent(settingsView, 'Saved'), ...errors },
  }),
  deleteSettings: createRoute({ method: 'delete', path: '/settings/mail', tags: ['Mail'], summary: 'Back to the server’s default SMTP settings', responses: { 204: { description: 'Removed' }, ...errors } }),
  log: createRoute({
    method: 'get',
    path: '/mail/messages',
    tags: ['Mail'],
    summary: 'The mail log: what was queued, sent or failed, with attempts and the last error',
    request: { query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }) },
    responses: { 200: jsonContent(z.object({ data: z.array(messageView) }), 'Messages'), ...errors },
  }),
};

export function mailRoutes(core: Core) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.openapi(routes.getSettings, async (c) => c.json(presentSmtpSettings(await core.mail.settings(await accessOf(core, c))), 200));
  app.openapi(routes.putSettings, async (c) => {
    const access = await accessOf(core, c);
    await core.mail.configure(access, c.req.valid('json'));
    return c.json(presentSmtpSettings(await core.mail.settings(access)), 200);
  });
  app.openapi(routes.deleteSettings, async (c) => {
    await core.mail.configure(await accessOf(core, c), null);
    return c.body(null, 204);
  });
  app.openapi(routes.log, async (c) => c.json({ data: await core.mail.log(await accessOf(core, c), c.req.valid('query').limit) }, 200));
  return app;
}
