import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Core } from '@rapport/core';
import { accessOf } from '../access';
import type { AppEnv } from '../context';
import { validationHook } from '../errors';
import type { PluginHost } from '../plugins/plugin-host';
import { jsonContent, problemResponses } from '../schemas';

const label = z.object({ en: z.string(), fr: z.string().optional() });
const pluginView = z
  .object({
    id: z.string(),
    version: z.string(),
    displayName: label,
    description: label.nullable(),
    status: z.enum(['available', 'enabled', 'disabled', 'failed', 'uninstalled']),
    error: z.string().nullable(),
    requires: z.record(z.string(), z.string()),
    permissions: z.object({ objects: z.record(z.string(), z.object({ read: z.string(), create: z.boolean(), update: z.string(), delete: z.string() })) }),
  })
  .openapi('Plugin');
const idParam = z.object({ id: z.string().max(40).openapi({ param: { name: 'id', in: 'path' } }) });
const pluginHealth = z
  .object({
    id: z.string(),
    status: z.enum(['ok', 'failing']),
    checks: z.array(z.object({ name: z.string(), ok: z.boolean(), detail: z.string().nullable(), ms: z.number() })),
  })
  .openapi('PluginHealth');
const secretParams = idParam.extend({ name: z.string().max(64).openapi({ param: { name: 'name', in: 'path' } }) });
const secretView = z
  .object({ name: z.string(), label, description: label.nullable(), set: z.boolean(), updatedAt: z.string().nullable() })
  .openapi('PluginSecret');
const errors = { 400: problemResponses[400], 401: problemResponses[401], 403: problemResponses[403], 404: problemResponses[404], 409: problemResponses[409] };

const routes = {
  list: createRoute({ method: 'get', path: '/plugins', tags: ['Plugins'], summary: 'The plugins of this server, from their manifests, with their state', responses: { 200: jsonContent(z.object({ data: z.array(pluginView) }), 'Plugins'), ...errors } }),
  enable: createRoute({ method: 'post', path: '/plugins/{id}/enable', tags: ['Plugins'], summary: 'Enable a plugin now (no restart): its routes and subscribers start', request: { params: idParam }, responses: { 200: jsonContent(pluginView, 'Enabled'), ...errors } }),
  disable: createRoute({ method: 'post', path: '/plugins/{id}/disable', tags: ['Plugins'], summary: 'Disable a plugin now: its routes and subscribers stop; its data stays', request: { params: idParam }, responses: { 200: jsonContent(pluginView, 'Disabled'), ...errors } }),
  upgrade: createRoute({ method: 'post', path: '/plugins/{id}/upgrade', tags: ['Plugins'], summary: 'Run the newly installed version: migrations first, then its code swapped in (no restart)', request: { params: idParam }, responses: { 200: jsonContent(pluginView, 'Upgraded'), ...errors } }),
  reload: createRoute({ method: 'post', path: '/plugins/{id}/reload', tags: ['Plugins'], summary: 'Development: read the plugin’s package again and swap its code in, whatever its version (rapport dev)', request: { params: idParam }, responses: { 200: jsonContent(pluginView, 'Reloaded'), ...errors } }),
  uninstall: createRoute({ method: 'post', path: '/plugins/{id}/uninstall', tags: ['Plugins'], summary: 'Uninstall a disabled plugin; its data stays', request: { params: idParam }, responses: { 200: jsonContent(pluginView, 'Uninstalled'), ...errors } }),
  purge: createRoute({
    method: 'post',
    path: '/plugins/{id}/purge',
    tags: ['Plugins'],
    summary: "Delete an uninstalled plugin's data (its schema); send { \"confirm\": \"<id>\" }",
    request: { params: idParam, body: { required: true, content: { 'application/json': { schema: z.object({ confirm: z.string().max(40) }) } } } },
    responses: { 204: { description: 'Purged' }, 422: problemResponses[422], ...errors },
  }),
  getSettings: createRoute({
    method: 'get',
    path: '/plugins/{id}/settings',
    tags: ['Plugins'],
    summary: "A plugin's settings: their JSON schema (for a form) and current values",
    request: { params: idParam },
    responses: { 200: jsonContent(z.object({ schema: z.record(z.string(), z.unknown()).nullable(), values: z.record(z.string(), z.unknown()) }), 'Settings'), ...errors },
  }),
  putSettings: createRoute({
    method: 'put',
    path: '/plugins/{id}/settings',
    tags: ['Plugins'],
    summary: "Save a plugin's settings, validated by its manifest's schema; the plugin reads them at once",
    request: { params: idParam, body: { required: true, content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } } } },
    responses: { 200: jsonContent(z.record(z.string(), z.unknown()), 'Saved values'), 422: problemResponses[422], ...errors },
  }),
  patchSettings: createRoute({
    method: 'patch',
    path: '/plugins/{id}/settings',
    tags: ['Plugins'],
    summary: "Change some of a plugin's settings (the body's keys), keeping the others; validated whole by its manifest's schema",
    request: { params: idParam, body: { required: true, content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } } } },
    responses: { 200: jsonContent(z.record(z.string(), z.unknown()), 'Saved values'), 422: problemResponses[422], ...errors },
  }),
  health: createRoute({
    method: 'get',
    path: '/plugins/health',
    tags: ['Plugins'],
    summary: "The enabled plugins' health checks, run now (each within 5 s)",
    responses: { 200: jsonContent(z.object({ data: z.array(pluginHealth) }), 'Health of each enabled plugin'), ...errors },
  }),
  listSecrets: createRoute({
    method: 'get',
    path: '/plugins/{id}/secrets',
    tags: ['Plugins'],
    summary: 'The secrets a plugin declares, and whether each is set (their values are never answered)',
    request: { params: idParam },
    responses: { 200: jsonContent(z.object({ data: z.array(secretView) }), 'Secrets'), ...errors },
  }),
  putSecret: createRoute({
    method: 'put',
    path: '/plugins/{id}/secrets/{name}',
    tags: ['Plugins'],
    summary: 'Set a secret the plugin declares (kept sealed with the server key; audited)',
    request: { params: secretParams, body: { required: true, content: { 'application/json': { schema: z.object({ value: z.string().min(1).max(10_000) }) } } } },
    responses: { 204: { description: 'Set' }, 422: problemResponses[422], ...errors },
  }),
  deleteSecret: createRoute({
    method: 'delete',
    path: '/plugins/{id}/secrets/{name}',
    tags: ['Plugins'],
    summary: 'Clear a secret (audited)',
    request: { params: secretParams },
    responses: { 204: { description: 'Cleared' }, ...errors },
  }),
};

export function pluginRoutes(core: Core, host: PluginHost) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.openapi(routes.list, async (c) => c.json({ data: await host.list() }, 200));
  app.openapi(routes.health, async (c) => c.json({ data: await host.health(await accessOf(core, c)) }, 200));
  app.openapi(routes.enable, async (c) => c.json(await host.enable(await accessOf(core, c), c.req.valid('param').id), 200));
  app.openapi(routes.disable, async (c) => c.json(await host.disable(await accessOf(core, c), c.req.valid('param').id), 200));
  app.openapi(routes.upgrade, async (c) => c.json(await host.upgrade(await accessOf(core, c), c.req.valid('param').id), 200));
  app.openapi(routes.reload, async (c) => c.json(await host.reload(await accessOf(core, c), c.req.valid('param').id), 200));
  app.openapi(routes.uninstall, async (c) => c.json(await host.uninstall(await accessOf(core, c), c.req.valid('param').id), 200));
  app.openapi(routes.purge, async (c) => {
    await host.purge(await accessOf(core, c), c.req.valid('param').id, c.req.valid('json'));
    return c.body(null, 204);
  });
  app.openapi(routes.getSettings, async (c) => c.json(await host.settingsForm(await accessOf(core, c), c.req.valid('param').id), 200));
  app.openapi(routes.putSettings, async (c) => c.json(await host.saveSettings(await accessOf(core, c), c.req.valid('param').id, c.req.valid('json')), 200));
  app.openapi(routes.patchSettings, async (c) => c.json(await host.patchSettings(await accessOf(core, c), c.req.valid('param').id, c.req.valid('json')), 200));
  app.openapi(routes.listSecrets, async (c) => c.json({ data: await host.listSecrets(await accessOf(core, c), c.req.valid('param').id) }, 200));
  app.openapi(routes.putSecret, async (c) => {
    const { id, name } = c.req.valid('param');
    await host.setSecret(await accessOf(core, c), id, name, c.req.valid('json'));
    return c.body(null, 204);
  });
  app.openapi(routes.deleteSecret, async (c) => {
    const { id, name } = c.req.valid('param');
    await host.clearSecret(await accessOf(core, c), id, name);
    return c.body(null, 204);
  });
  return app;
}
