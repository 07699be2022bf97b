import { and, eq } from 'drizzle-orm';
import { forbidden, newId, type PluginRecords, type PluginServerContext } from '@rapport/sdk/server';
import { measure, metricValue, type MetricName, type QualityMetrics } from './metrics';
import { METRIC_LABELS } from './metric-labels';
import { qualityAlert, qualitySnapshot } from './schema';

export interface Snapshot {
  day: string;
  takenAt: string;
  metrics: QualityMetrics;
}

/** History is workspace-wide: only someone who may read every record of the object records or reads it. */
export async function assertReadsAll(records: PluginRecords, object: string): Promise<void> {
  if ((await records.reach(object)).read !== 'all') throw forbidden(`The quality history of ${object} covers every record: it needs the right to read all of them`);
}

/** Measures the object as `records` see it, keeps it as the day's figures, and checks the alerts on it. */
export async function recordSnapshot(ctx: PluginServerContext, records: PluginRecords, workspaceId: string, object: string, takenBy: string): Promise<Snapshot> {
  await assertReadsAll(records, object);
  const metrics = await measure(records, object);
  const takenAt = new Date();
  const day = takenAt.toISOString().slice(0, 10);
  await ctx.db
    .insert(qualitySnapshot)
    .values({ id: newId(), workspaceId, object, day, takenAt, takenBy, metrics })
    .onConflictDoUpdate({ target: [qualitySnapshot.workspaceId, qualitySnapshot.object, qualitySnapshot.day], set: { takenAt, takenBy, metrics } });
  await checkAlerts(ctx, workspaceId, object, metrics);
  return { day, takenAt: takenAt.toISOString(), metrics };
}

/** Tells each alert's owner once when a measure crosses their threshold; crossing back re-arms it. */
async function checkAlerts(ctx: PluginServerContext, workspaceId: string, object: string, metrics: QualityMetrics): Promise<void> {
  const alerts = await ctx.db.select().from(qualityAlert).where(and(eq(qualityAlert.workspaceId, workspaceId), eq(qualityAlert.object, object)));
  for (const alert of alerts) {
    const value = metricValue(metrics, alert.metric as MetricName, alert.field, alert.unit);
    if (value === null) continue;
    const breached = alert.direction === 'above' ? value > alert.threshold : value < alert.threshold;
    await ctx.db.update(qualityAlert).set({ breached, lastValue: value, lastCheckedAt: new Date() }).where(eq(qualityAlert.id, alert.id));
    if (!breached || alert.breached === true) continue;
    const label = METRIC_LABELS[alert.metric as MetricName] ?? { en: alert.metric, fr: alert.metric };
    const what = (lang: 'en' | 'fr') => `${label[lang]}${alert.field ? ` (${alert.field})` : ''}`;
    const shown = `${value}${alert.unit === 'percent' ? ' %' : ''}`;
    const limit = `${alert.threshold}${alert.unit === 'percent' ? ' %' : ''}`;
    await ctx
      .notify(workspaceId, {
        to: [alert.ownerId],
        kind: 'quality-alert',
        title: {
          en: `${what('en')} of ${object}: ${shown}, ${alert.direction} your threshold of ${limit}`,
          fr: `${what('fr')} de ${object} : ${shown}, ${alert.direction === 'above' ? 'au-dessus' : 'en dessous'} de votre seuil de ${limit}`,
        },
        link: { path: `/p/data-ops/quality/${object}` },
      })
      .catch((error: Error) => ctx.log.warn('quality alert notification failed', { error: error.message }));
  }
}
