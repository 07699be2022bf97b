import { eq, and } from 'drizzle-orm';
import type { PluginServerContext } from '@rapport/sdk/server';
import { recordSnapshot } from './quality-snapshots';
import { qualityTracking } from './schema';

/**
 * `quality-snapshot` measures one object as whoever asked for the tracking; `quality-daily` (cron)
 * runs each tracked object's job again, so that every day's figures are taken with that user's
 * rights of the day (a user who lost them gets no more history recorded).
 */
export function registerQualityJobs(ctx: PluginServerContext): void {
  ctx.jobs.handle('quality-snapshot', async (data, recordsIn) => {
    const { workspaceId, object } = data as { workspaceId: string; object: string };
    const [tracking] = await ctx.db.select().from(qualityTracking).where(and(eq(qualityTracking.workspaceId, workspaceId), eq(qualityTracking.object, object)));
    if (!tracking) return { skipped: true };
    try {
      const snapshot = await recordSnapshot(ctx, recordsIn(workspaceId), workspaceId, object, tracking.startedBy);
      return { day: snapshot.day, total: snapshot.metrics.total };
    } catch (error) {
      const status = (error as { status?: number }).status;
      if (!status || status >= 500) throw error; // retried by the queue
      // Refused (the user lost the right, the object is gone): said in the log, tried again tomorrow.
      ctx.log.warn('daily quality measure refused', { workspaceId, object, reason: (error as Error).message });
      return { refused: (error as Error).message };
    }
  });

  ctx.jobs.handle('quality-daily', async () => {
    const tracked = await ctx.db.select().from(qualityTracking);
    for (const tracking of tracked) {
      try {
        const jobId = await ctx.jobs.rerun(tracking.jobId);
        await ctx.db.update(qualityTracking).set({ jobId }).where(and(eq(qualityTracking.workspaceId, tracking.workspaceId), eq(qualityTracking.object, tracking.object)));
      } catch (error) {
        ctx.log.error('daily quality measure could not be queued: turn the tracking off and on again', { workspaceId: tracking.workspaceId, object: tracking.object, error: (error as Error).message });
      }
    }
    return { queued: tracked.length };
  });
}
