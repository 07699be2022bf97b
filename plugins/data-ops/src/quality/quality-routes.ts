import { and, desc, eq, gte } from 'drizzle-orm';
import { z } from 'zod';
import { newId, notFound, refuse, type PluginServerContext } from '@rapport/sdk/server';
import { DEFAULT_STALE_DAYS, measure, METRICS, withFields } from './metrics';
import { assertReadsAll, recordSnapshot } from './quality-snapshots';
import { qualityAlert, qualitySnapshot, qualityTracking } from './schema';

const liveQuery = z.strictObject({ staleDays: z.coerce.number().int().min(1).max(3650).default(DEFAULT_STALE_DAYS) });
const historyQuery = z.strictObject({ days: z.coerce.number().int().min(1).max(730).default(90) });
const trackingBody = z.strictObject({ enabled: z.boolean() });
const alertBody = z
  .strictObject({
    object: z.string().min(1).max(200),
    metric: z.enum(METRICS),
    field: z.string().min(1).max(200).optional(),
    direction: z.enum(['above', 'below']),
    unit: z.enum(['count', 'percent']).default('count'),
    threshold: z.number().min(0).max(1_000_000_000),
  })
  .refine((alert) => alert.unit !== 'percent' || alert.threshold <= 100, { path: ['threshold'], message: 'a percentage is at most 100' })
  .refine((alert) => (alert.metric === 'completeness') === (alert.field !== undefined), { path: ['field'], message: 'is required for completeness, and only for it' });

const view = (alert: typeof qualityAlert.$inferSelect) => ({
  id: alert.id,
  object: alert.object,
  metric: alert.metric,
  field: alert.field,
  direction: alert.direction,
  unit: alert.unit,
  threshold: alert.threshold,
  breached: alert.breached,
  lastValue: alert.lastValue,
  lastCheckedAt: alert.lastCheckedAt?.toISOString() ?? null,
});

/**
 * Data quality: live figures for the caller (their records, their fields), the daily history of an
 * object (for who may read all its records), the daily recording, and alerts on thresholds.
 */
export function registerQualityRoutes(ctx: PluginServerContext): void {
  const trackingOf = async (workspaceId: string, object: string) => (await ctx.db.select().from(qualityTracking).where(and(eq(qualityTracking.workspaceId, workspaceId), eq(qualityTracking.object, object))))[0];

  ctx.http.get('/quality/:object', { summary: 'Data quality of an object now, over the records the caller may read', query: liveQuery }, async (c, { records, caller, query }) => {
    const object = c.req.param('object') ?? '';
    const [metrics, reach, tracking] = await Promise.all([measure(records, object, { staleDays: query.staleDays }), records.reach(object), trackingOf(caller.workspaceId, object)]);
    return c.json({ object, scope: reach.read, metrics, tracking: tracking ? { since: tracking.createdAt.toISOString() } : null });
  });

  ctx.http.get('/quality/:object/history', { summary: 'The daily figures of an object (needs the right to read all its records)', query: historyQuery }, async (c, { records, caller, query }) => {
    const object = c.req.param('object') ?? '';
    await assertReadsAll(records, object);
    const readable = new Set((await records.describe(object)).fields.map((field) => field.name));
    const since = new Date(Date.now() - query.days * 86_400_000).toISOString().slice(0, 10);
    const rows = await ctx.db
      .select()
      .from(qualitySnapshot)
      .where(and(eq(qualitySnapshot.workspaceId, caller.workspaceId), eq(qualitySnapshot.object, object), gte(qualitySnapshot.day, since)))
      .orderBy(desc(qualitySnapshot.day));
    return c.json({ data: rows.reverse().map((row) => ({ day: row.day, takenAt: row.takenAt.toISOString(), metrics: withFields(row.metrics, readable) })) });
  });

  ctx.http.post('/quality/:object/snapshot', { summary: "Records today's figures now (and checks the alerts on them)" }, async (c, { records, caller }) => {
    const object = c.req.param('object') ?? '';
    return c.json(await recordSnapshot(ctx, records, caller.workspaceId, object, `${caller.kind}:${caller.id}`), 201);
  });

  ctx.http.post('/quality/:object/tracking', { summary: 'Records the figures every day (as the caller, with their rights at each run), or stops', body: trackingBody }, async (c, { records, caller, jobs, body }) => {
    const object = c.req.param('object') ?? '';
    await assertReadsAll(records, object);
    if (!body.enabled) {
      await ctx.db.delete(qualityTracking).where(and(eq(qualityTracking.workspaceId, caller.workspaceId), eq(qualityTracking.object, object)));
      return c.json({ tracking: null });
    }
    const key = and(eq(qualityTracking.workspaceId, caller.workspaceId), eq(qualityTracking.object, object));
    // The row first: the job (the first measure, now, as the caller) may start before this answer.
    const [row] = await ctx.db.insert(qualityTracking).values({ workspaceId: caller.workspaceId, object, startedBy: `${caller.kind}:${caller.id}`, jobId: 'pending' }).onConflictDoNothing().returning();
    if (!row) return c.json({ tracking: { since: (await trackingOf(caller.workspaceId, object))!.createdAt.toISOString() } });
    try {
      const jobId = await jobs.enqueue('quality-snapshot', { workspaceId: caller.workspaceId, object });
      await ctx.db.update(qualityTracking).set({ jobId }).where(key);
    } catch (error) {
      await ctx.db.delete(qualityTracking).where(key);
      throw error;
    }
    return c.json({ tracking: { since: row!.createdAt.toISOString() } }, 201);
  });

  ctx.http.get('/quality-alerts', { summary: "The caller's data-quality alerts" }, async (c, { caller }) => {
    if (!caller.userId) return c.json({ data: [] });
    const rows = await ctx.db.select().from(qualityAlert).where(and(eq(qualityAlert.workspaceId, caller.workspaceId), eq(qualityAlert.ownerId, caller.userId))).orderBy(qualityAlert.createdAt);
    return c.json({ data: rows.map(view) });
  });

  ctx.http.post('/quality-alerts', { summary: 'Tells the caller in the app when a metric crosses a threshold (checked at each recorded measure)', body: alertBody }, async (c, { records, caller, body }) => {
    if (!caller.userId) throw refuse('Alerts are told to a user: call as one', [{ field: 'body', code: 'no_user', message: 'an alert needs a user to tell' }]);
    const object = await records.describe(body.object).catch(() => {
      throw refuse(`There is no object "${body.object}" you may read`, [{ field: 'object', code: 'unknown_object', message: `no object "${body.object}"` }]);
    });
    if (body.field && !object.fields.some((field) => field.name === body.field && !['id', 'createdAt', 'updatedAt'].includes(field.name))) {
      throw refuse(`${object.name} has no field "${body.field}" you may read`, [{ field: 'field', code: 'unknown_field', message: `no field "${body.field}" on ${object.name}` }]);
    }
    await assertReadsAll(records, object.name);
    const [row] = await ctx.db
      .insert(qualityAlert)
      .values({ id: newId(), workspaceId: caller.workspaceId, ownerId: caller.userId, object: object.name, metric: body.metric, field: body.field ?? null, direction: body.direction, unit: body.unit, threshold: body.threshold })
      .returning();
    return c.json(view(row!), 201);
  });

  ctx.http.delete('/quality-alerts/:id', { summary: 'Removes one of the caller’s alerts' }, async (c, { caller }) => {
    const id = c.req.param('id') ?? '';
    const removed = /^[0-9a-f-]{36}$/i.test(id) && caller.userId
      ? await ctx.db.delete(qualityAlert).where(and(eq(qualityAlert.id, id), eq(qualityAlert.workspaceId, caller.workspaceId), eq(qualityAlert.ownerId, caller.userId))).returning({ id: qualityAlert.id })
      : [];
    if (removed.length === 0) throw notFound(`There is no alert ${id} of yours`);
    return c.body(null, 204);
  });
}
