import fs from 'node:fs';
import path from 'node:path';
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Core } from '@rapport/core';
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { accessOf } from '../access';
import type { AppEnv } from '../context';
import { validationHook } from '../errors';
import type { PluginHost } from '../plugins/plugin-host';
import { jsonContent, problemResponses } from '../schemas';

const label = z.object({ en: z.string(), fr: z.string().optional() });
const extensionView = z
  .object({
    id: z.string(),
    version: z.string(),
    displayName: label,
    navigation: z.array(z.object({ id: z.string(), label, path: z.string().openapi({ description: "Under /p/<plugin id>/ ('' for its home)" }), icon: z.string().optional() })),
    web: z.string().nullable().openapi({ description: 'The URL of its built web module (an ES module the shell imports), if it has one' }),
  })
  .openapi('PluginExtension');

const extensions = createRoute({
  method: 'get',
  path: '/ui/extensions',
  tags: ['Plugins'],
  summary: 'What the shell mounts: the enabled plugins, their navigation (as far as I may read) and web modules',
  responses: { 200: jsonContent(z.object({ plugins: z.array(extensionView) }), 'Enabled plugins'), 401: problemResponses[401] },
});

const changes = createRoute({
  method: 'get',
  path: '/ui/events',
  tags: ['Plugins'],
  summary: 'Server-sent events: `extensions` when a plugin is enabled, disabled, upgraded or reloaded on this server (refetch /ui/extensions)',
  responses: { 200: { description: 'An event stream (text/event-stream), kept open', content: { 'text/event-stream': { schema: z.string() } } }, 401: problemResponses[401] },
});

/** A comment line now and then, so that proxies do not close a quiet stream. */
const KEEPALIVE_MS = 25_000;

/** For every signed-in user (not only plugin admins): the shell of each needs it. */
export function extensionRoutes(core: Core, host: PluginHost) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.openapi(extensions, async (c) => c.json({ plugins: host.extensions(await accessOf(core, c)) }, 200));
  app.openapi(changes, async (c) => {
    await accessOf(core, c); // signed in, or 401
    return streamSSE(c, async (stream) => {
      let wake: (() => void) | null = null;
      let pending = false;
      let closing = false;
      const stop = host.onChange((serverClosing) => {
        if (serverClosing) closing = true;
        else pending = true;
        wake?.();
      });
      stream.onAbort(() => {
        stop();
        wake?.();
      });
      try {
        await stream.write('retry: 5000\n\n');
        while (!stream.aborted && !closing) {
          if (pending) {
            pending = false;
            await stream.writeSSE({ event: 'extensions', data: '{}' });
            continue;
          }
          await new Promise<void>((resolve) => {
            wake = resolve;
            setTimeout(resolve, KEEPALIVE_MS).unref();
          });
          wake = null;
          if (!pending && !closing && !stream.aborted) await stream.write(': keep-alive\n\n');
        }
      } finally {
        stop();
      }
    }) as never;
  });
  return app;
}

const TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.map': 'application/json', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2' };

/**
 * `/plugin-web/<id>/<version>/<file>`: enabled plugins' built web modules. The version is in the URL,
 * so a file never changes under it: cached for a year. Plugin code is no secret; a disabled plugin's is 404.
 */
export function pluginWebRoutes(host: PluginHost) {
  const app = new Hono<AppEnv>();
  app.get('/:id/:version/*', (c) => {
    const { id, version } = c.req.param();
    const prefix = `/plugin-web/${id}/${version}/`;
    let file: string;
    try {
      file = decodeURIComponent(new URL(c.req.url).pathname).slice(prefix.length);
    } catch {
      return c.text('Not found', 404); // malformed %-escapes name no file
    }
    const full = file.includes('\0') ? null : host.webFile(id, version, file);
    if (!full) return c.text('Not found', 404);
    return c.body(new Uint8Array(fs.readFileSync(full)), 200, { 'content-type': TYPES[path.extname(full)] ?? 'application/octet-stream', 'cache-control': 'public, max-age=31536000, immutable' });
  });
  return app;
}
