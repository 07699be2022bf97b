import { and, desc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { PluginRecords, PluginServerContext } from '@rapport/sdk/server';
import { ImportRun, LEASE_SECONDS } from './import-run';
import { dataImport, importRelated, importRow } from './schema';

const UNDO_BATCH = 200;

const lease = () => sql`now() + ${`${LEASE_SECONDS} seconds`}::interval`;

/** Runs, undoes and resumes imports in the background; each job acts as whoever started it. */
export function registerImportJobs(ctx: PluginServerContext): void {
  const { db } = ctx;
  const importOf = async (data: Record<string, unknown>) => {
    const [row] = typeof data.importId === 'string' ? await db.select().from(dataImport).where(eq(dataImport.id, data.importId)) : [];
    return row;
  };
  /** A run that cannot go on (its starter lost the right to write those records…) fails, said in the import. */
  const fail = async (importId: string, error: unknown) => {
    const status = (error as { status?: number }).status;
    if (!status || status >= 500) throw error; // retried by the queue
    await db.update(dataImport).set({ status: 'failed', error: (error as Error).message, finishedAt: new Date(), leaseUntil: null }).where(eq(dataImport.id, importId));
  };
  const tell = async (row: typeof dataImport.$inferSelect, title: { en: string; fr: string }) => {
    const [kind, userId] = row.createdBy.split(':');
    if (kind !== 'user' || !userId) return;
    await ctx.notify(row.workspaceId, { to: [userId], kind: 'import', title, link: { path: `/p/data-ops/imports/${row.id}` } }).catch((error: Error) => ctx.log.warn('import notification failed', { error: error.message }));
  };

  ctx.jobs.handle('import-run', async (data, recordsIn) => {
    const row = await importOf(data);
    if (!row || row.status !== 'running') return { skipped: true };
    const records = recordsIn(row.workspaceId);
    try {
      const run = await ImportRun.load(ctx, records, row.id);
      await run?.run(records);
    } catch (error) {
      await fail(row.id, error);
    }
    const [finished] = await db.select().from(dataImport).where(eq(dataImport.id, row.id));
    if (finished?.status === 'done') {
      await tell(finished, {
        en: `Import of ${finished.fileName} done: ${finished.created} created, ${finished.updated} updated, ${finished.skipped} skipped, ${finished.rejected} rejected`,
        fr: `Import de ${finished.fileName} terminé : ${finished.created} créés, ${finished.updated} mis à jour, ${finished.skipped} ignorés, ${finished.rejected} rejetés`,
      });
    }
    return { status: finished?.status };
  });

  ctx.jobs.handle('import-undo', async (data, recordsIn) => {
    const row = await importOf(data);
    if (!row || row.status !== 'undoing') return { skipped: true };
    const records = recordsIn(row.workspaceId);
    try {
      await undo(row.id, row.object, records);
    } catch (error) {
      await fail(row.id, error);
      return { status: 'failed' };
    }
    await db.update(dataImport).set({ status: 'undone', finishedAt: new Date(), leaseUntil: null }).where(eq(dataImport.id, row.id));
    await tell(row, { en: `Import of ${row.fileName} undone`, fr: `Import de ${row.fileName} annulé` });
    return { status: 'undone' };
  });

  /** Newest rows first, a transaction per batch: records it changed put back, records it made deleted. */
  const undo = async (importId: string, object: string, records: PluginRecords) => {
    for (;;) {
      const done = await records.transaction(async (tx, db) => {
        const rows = await db
          .select({ rowNo: importRow.rowNo, status: importRow.status, recordId: importRow.recordId, previous: importRow.previous })
          .from(importRow)
          .where(and(eq(importRow.importId, importId), inArray(importRow.status, ['created', 'updated'])))
          .orderBy(desc(importRow.rowNo))
          .limit(UNDO_BATCH)
          .for('update', { skipLocked: true });
        if (rows.length === 0) return 0;
        const restores = rows.filter((row) => row.status === 'updated' && row.previous && row.recordId);
        if (restores.length) await tx.batch(object, { operation: 'update', records: restores.map((row) => ({ id: row.recordId, ...row.previous })) });
        for (const row of rows) {
          if (row.status !== 'created' || !row.recordId) continue;
          // Deleted since by someone else: nothing left to undo.
          await tx.delete(object, row.recordId).catch((error: { status?: number }) => {
            if (error.status !== 404) throw error;
          });
        }
        await db
          .update(importRow)
          .set({ status: 'undone' })
          .where(and(eq(importRow.importId, importId), inArray(importRow.rowNo, rows.map((row) => row.rowNo))));
        await db.update(dataImport).set({ leaseUntil: lease() }).where(eq(dataImport.id, importId));
        return rows.length;
      });
      if (done === 0) break;
    }
    const related = await db.select().from(importRelated).where(eq(importRelated.importId, importId));
    for (const record of related) {
      await records.delete(record.object, record.recordId).catch((error: { status?: number }) => {
        // Gone already, or linked to records made since (the data-access layer refuses): kept.
        if (error.status !== 404 && error.status !== 409 && error.status !== 422) throw error;
      });
    }
    await db.delete(importRelated).where(eq(importRelated.importId, importId));
  };

  // Runs whose server died (kill -9, a crash) hold an expired lease: their job runs again, as its starter.
  ctx.jobs.handle('import-resume', async () => {
    const stalled = await db
      .update(dataImport)
      .set({ leaseUntil: lease() })
      .where(and(inArray(dataImport.status, ['running', 'undoing']), or(isNull(dataImport.leaseUntil), lt(dataImport.leaseUntil, sql`now()`))))
      .returning({ id: dataImport.id, jobId: dataImport.jobId });
    for (const { id, jobId } of stalled) {
      if (!jobId) continue;
      ctx.log.info('resuming a stalled import', { importId: id });
      await ctx.jobs.rerun(jobId);
    }
    return { resumed: stalled.length };
  });
}
