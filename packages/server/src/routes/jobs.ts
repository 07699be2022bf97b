import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Core } from '@rapport/core';
import type { JobRunner } from '@rapport/jobs';
import { accessOf } from '../access';
import type { AppEnv } from '../context';
import { validationHook } from '../errors';
import { jsonContent, problemResponses } from '../schemas';

const jobView = z
  .object({
    id: z.string(),
    queue: z.string(),
    plugin: z.string().nullable(),
    state: z.string(),
    data: z.unknown(),
    retryCount: z.number().int(),
    createdAt: z.string(),
    startAfter: z.string().nullable(),
    completedAt: z.string().nullable(),
    output: z.unknown(),
  })
  .openapi('Job');
const idParam = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) });
const errors = { 400: problemResponses[400], 401: problemResponses[401], 403: problemResponses[403], 404: problemResponses[404] };

const routes = {
  list: createRoute({
    method: 'get',
    path: '/jobs',
    tags: ['Plugins'],
    summary: "Plugins' background jobs, newest first (created, active, completed, failed, retry…), and the cron schedules",
    request: { query: z.object({ state: z.enum(['created', 'retry', 'active', 'completed', 'cancelled', 'failed']).optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }) },
    responses: { 200: jsonContent(z.object({ data: z.array(jobView), schedules: z.array(z.object({ queue: z.string(), cron: z.string() })) }), 'Jobs'), ...errors },
  }),
  retry: createRoute({ method: 'post', path: '/jobs/{id}/retry', tags: ['Plugins'], summary: 'Run a failed job again', request: { params: idParam }, responses: { 204: { description: 'Queued again' }, ...errors } }),
  cancel: createRoute({ method: 'post', path: '/jobs/{id}/cancel', tags: ['Plugins'], summary: 'Cancel a job that has not run yet', request: { params: idParam }, responses: { 204: { description: 'Cancelled' }, ...errors } }),
};

export function jobRoutes(core: Core, jobs: JobRunner) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.openapi(routes.list, async (c) => {
    const access = await accessOf(core, c);
    return c.json({ data: await jobs.list(access, c.req.valid('query')), schedules: await jobs.schedules() } as never, 200);
  });
  app.openapi(routes.retry, async (c) => {
    await jobs.retry(await accessOf(core, c), c.req.valid('param').id);
    return c.body(null, 204);
  });
  app.openapi(routes.cancel, async (c) => {
    await jobs.cancel(await accessOf(core, c), c.req.valid('param').id);
    return c.body(null, 204);
  });
  return app;
}
