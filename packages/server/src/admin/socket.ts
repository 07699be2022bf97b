import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import { type Core, ProblemError } from '@rapport/core';
import type { AppEnv } from '../context';
import { onError } from '../errors';
import type { PluginHost } from '../plugins/plugin-host';
import { applyDistributionAsAdmin, exportDistributionAsAdmin, createApiKey, createUser, doctor, listPlugins, type PluginAction, runMigrations, seedDemoData, changePlugin } from './operations';

export function adminSocketPath(dataDir: string): string {
  return path.join(dataDir, 'admin.sock');
}

async function body(c: { req: { text(): Promise<string> } }): Promise<Record<string, any>> {
  const text = await c.req.text();
  return text ? JSON.parse(text) : {};
}

/**
 * The CLI's way in while this server owns an embedded database: HTTP over a Unix socket in the
 * data folder, reachable only by the folder's owner (mode 0600).
 */
export async function startAdminSocket(core: Core, dataDir: string, plugins?: PluginHost): Promise<() => Promise<void>> {
  const app = new Hono<AppEnv>();
  app.onError((error, c) => (error instanceof ProblemError ? onError(error, c) : c.json({ title: 'Failed', detail: error.message }, 500)));
  app.post('/migrate', async (c) => c.json(await runMigrations(core.database, { dryRun: (await body(c)).dryRun === true })));
  app.post('/seed-demo', async (c) => c.json(await seedDemoData(core)));
  app.post('/api-keys', async (c) => {
    const input = await body(c);
    return c.json(await createApiKey(core, { name: input.name, role: input.role }));
  });
  app.post('/users', async (c) => c.json(await createUser(core, (await body(c)) as never)));
  app.get('/doctor', async (c) => c.json(await doctor(core, { dataDir })));
  app.post('/distro/apply', async (c) => c.json(await applyDistributionAsAdmin(core, plugins, await body(c), { activate: true })));
  app.post('/distro/export', async (c) => c.json(await exportDistributionAsAdmin(core, plugins, String((await body(c)).name ?? 'exported'))));
  if (plugins) {
    app.get('/plugins', async (c) => c.json(await listPlugins(plugins)));
    app.post('/plugins/:id/:action{enable|disable|upgrade|uninstall|purge}', async (c) =>
      c.json(await changePlugin(core, plugins, c.req.param('id'), c.req.param('action') as PluginAction, { activate: true })),
    );
  }
  const socketPath = adminSocketPath(dataDir);
  fs.rmSync(socketPath, { force: true });
  const server = http.createServer(getRequestListener(app.fetch));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });
  fs.chmodSync(socketPath, 0o600);
  return () =>
    new Promise<void>((resolve) => {
      server.close(() => {
        fs.rmSync(socketPath, { force: true });
        resolve();
      });
      server.closeAllConnections();
    });
}

/** Calls the admin socket of the server that owns `dataDir`; null when no server answers there. */
export async function callAdminSocket(dataDir: string, method: 'GET' | 'POST', route: string, payload?: unknown): Promise<{ status: number; body: any } | null> {
  const socketPath = adminSocketPath(dataDir);
  if (!fs.existsSync(socketPath)) return null;
  return new Promise((resolve, reject) => {
    const request = http.request({ socketPath, path: route, method, headers: { 'content-type': 'application/json' } }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => (text += chunk));
      response.on('end', () => {
        try {
          resolve({ status: response.statusCode ?? 500, body: text ? JSON.parse(text) : null });
        } catch (error) {
          reject(error);
        }
      });
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED' || error.code === 'ENOENT') resolve(null);
      else reject(error);
    });
    request.end(payload === undefined ? undefined : JSON.stringify(payload));
  });
}
