import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { getCookie } from 'hono/cookie';
import { type Core, newWorkspaceSchema, problems, workspaceSettingsSchema } from '@rapport/core';
import { accessOf } from '../access';
import type { AppEnv } from '../context';
import { validationHook } from '../errors';
import { SESSION_COOKIE } from '../middleware/auth';
import { jsonContent, problemResponses } from '../schemas';

const workspaceView = z.object({ id: z.uuid(), name: z.string(), slug: z.string(), role: z.string(), current: z.boolean() }).openapi('Workspace');
const settingsView = z.object({ name: z.string(), locale: z.string(), currency: z.string(), trashDays: z.number().int() }).openapi('WorkspaceSettings');
const errors = { 400: problemResponses[400], 401: problemResponses[401], 403: problemResponses[403], 404: problemResponses[404], 409: problemResponses[409], 422: problemResponses[422] };

const routes = {
  list: createRoute({ method: 'get', path: '/workspaces', tags: ['Workspaces'], summary: 'The workspaces I belong to', responses: { 200: jsonContent(z.object({ data: z.array(workspaceView) }), 'Workspaces'), ...errors } }),
  create: createRoute({
    method: 'post',
    path: '/workspaces',
    tags: ['Workspaces'],
    summary: 'Create a workspace (its data apart from every other); I become its admin',
    request: { body: { required: true, content: { 'application/json': { schema: newWorkspaceSchema } } } },
    responses: { 201: jsonContent(workspaceView, 'Created'), ...errors },
  }),
  switch: createRoute({
    method: 'post',
    path: '/workspaces/{id}/switch',
    tags: ['Workspaces'],
    summary: 'Move my session to another of my workspaces',
    request: { params: z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) }) },
    responses: { 204: { description: 'Switched' }, ...errors },
  }),
  settings: createRoute({ method: 'get', path: '/settings/workspace', tags: ['Workspaces'], summary: "This workspace's name, language, currency and trash period (days)", responses: { 200: jsonContent(settingsView, 'Settings'), ...errors } }),
  updateSettings: createRoute({
    method: 'patch',
    path: '/settings/workspace',
    tags: ['Workspaces'],
    summary: "Change this workspace's name, language, currency or trash period (admins of settings)",
    request: { body: { required: true, content: { 'application/json': { schema: workspaceSettingsSchema } } } },
    responses: { 200: jsonContent(settingsView, 'Saved'), ...errors },
  }),
};

export function workspaceRoutes(core: Core) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.openapi(routes.list, async (c) => c.json({ data: await core.workspaces.mine(c.get('auth').actor) }, 200));
  app.openapi(routes.create, async (c) => c.json(await core.workspaces.create(await accessOf(core, c), c.req.valid('json')), 201));
  app.openapi(routes.switch, async (c) => {
    const token = getCookie(c, SESSION_COOKIE);
    if (c.get('auth').via !== 'session' || !token) throw problems.forbidden('An API key belongs to one workspace: only a session switches');
    await core.workspaces.switchSession(token, c.get('auth').actor, c.req.valid('param').id);
    return c.body(null, 204);
  });
  app.openapi(routes.settings, async (c) => c.json(await core.workspaces.settings(c.get('auth').actor), 200));
  app.openapi(routes.updateSettings, async (c) => c.json(await core.workspaces.updateSettings(await accessOf(core, c), c.req.valid('json')), 200));
  return app;
}
