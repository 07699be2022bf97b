import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import { type Core, coreMigrations } from '@rapport/core';
import { planMigrations } from '@rapport/db';
import type { AppEnv } from '../context';
import { validationHook } from '../errors';
import { jsonContent } from '../schemas';

const health = createRoute({
  method: 'get',
  path: '/health',
  tags: ['System'],
  summary: 'Liveness: the process answers',
  security: [],
  responses: { 200: jsonContent(z.object({ status: z.literal('ok') }).openapi('Health'), 'Alive') },
});

const readiness = z
  .object({ status: z.enum(['ready', 'not_ready']), database: z.boolean(), migrations: z.object({ pending: z.number().int() }) })
  .openapi('Readiness');

const ready = createRoute({
  method: 'get',
  path: '/ready',
  tags: ['System'],
  summary: 'Readiness: the database answers and every migration has run',
  security: [],
  responses: { 200: jsonContent(readiness, 'Ready'), 503: jsonContent(readiness, 'Not ready') },
});

export function healthRoutes(core: Core) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.openapi(health, (c) => c.json({ status: 'ok' as const }, 200));
  app.openapi(ready, async (c) => {
    let database = false;
    let pending = -1;
    try {
      await core.database.db.execute(sql`select 1`);
      database = true;
      pending = (await planMigrations(core.database, [coreMigrations()])).pending.length;
    } catch {
      /* reported as not ready */
    }
    const isReady = database && pending === 0;
    return c.json({ status: isReady ? ('ready' as const) : ('not_ready' as const), database, migrations: { pending: Math.max(pending, 0) } }, isReady ? 200 : 503);
  });
  return app;
}
