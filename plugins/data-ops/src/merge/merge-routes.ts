import { refuse, type PluginServerContext } from '@rapport/sdk/server';

/**
 * Merging duplicates, over the core's merge (which checks rights, moves relations and keeps the undo):
 * POST /merges/:object, GET /merges/:object/:id (merges into a record), POST /merges/:id/undo.
 */
export function registerMergeRoutes(ctx: PluginServerContext): void {
  ctx.http.post('/merges/:object', async (c, { records }) => {
    const body: unknown = await c.req.json().catch(() => {
      throw refuse('The body must be JSON', [{ field: 'body', code: 'invalid_json', message: 'is not valid JSON' }]);
    });
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw refuse('The body must be a JSON object', [{ field: 'body', code: 'invalid_type', message: 'must be a JSON object' }]);
    return c.json(await records.merge(c.req.param('object') ?? '', body as { survivorId: string; mergedIds: string[] }));
  });

  ctx.http.get('/merges/:object/:id', async (c, { records }) => c.json({ data: await records.merges(c.req.param('object') ?? '', c.req.param('id') ?? '') }));

  ctx.http.post('/merges/:id/undo', async (c, { records }) => c.json(await records.undoMerge(c.req.param('id') ?? '')));
}
