import { defineServer, refuse } from '@rapport/sdk/server';
import { z } from 'zod';
import manifest from './manifest';

const recentQuery = z.strictObject({ days: z.coerce.number().int().min(1).max(365).optional() });

export default defineServer(manifest, (ctx) => {
  /**
   * GET /api/v1/plugins/example-visits/recent?days=: the visits of the last days the caller may read,
   * newest first, and how many went well.
   */
  ctx.http.get('/recent', async (c, { records }) => {
    const parsed = recentQuery.safeParse(c.req.query());
    if (!parsed.success) throw refuse('"days" must be a whole number of days from 1 to 365', parsed.error.issues.map((issue) => ({ field: issue.path.join('.') || 'days', code: issue.code, message: issue.message })));
    const days = parsed.data.days ?? ((await ctx.settings.get()) as { recentDays: number }).recentDays;
    const since = new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
    const page = await records.list('visit', { filter: { field: 'visitedOn', op: 'gte', value: since }, sort: '-visitedOn', limit: 100, expand: ['person'] });
    return c.json({ days, visits: page.data, positive: page.data.filter((visit) => visit.outcome === 'positive').length });
  });
});
