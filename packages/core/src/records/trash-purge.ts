import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Database, Executor } from '@rapport/db';
import { systemActor } from '../access/actor';
import { writeAudit } from '../access/access-audit';
import { writeEvents } from '../events/outbox-writer';
import type { MetadataRegistry } from '../metadata/registry';
import type { ObjectDefinition } from '../metadata/types';
import type { WorkspaceMetadata } from '../metadata/workspace-metadata';
import { fieldValueIndex, fieldValueUnique, recordLink } from '../schema/field-index';
import { storedFile } from '../schema/files';
import { auditEntry } from '../schema/audit';
import { insertRows } from '../bulk-insert';
import { newId } from '../ids';
import { searchEntry } from '../schema/search';
import { workspace } from '../schema/workspace';
import { ObjectStore, quoteLiteral } from './object-store';

/** Days a deleted record stays in the trash (restorable, a merge undoable) before it is erased. */
export const DEFAULT_TRASH_DAYS = 30;
const BATCH = 500;

export interface PurgeReport {
  /** Records erased, per workspace and object. */
  erased: { workspaceId: string; object: string; count: number }[];
  /** Files of erased records, whose bytes the caller removes once the rows are gone. */
  files: { workspaceId: string; id: string }[];
}

/**
 * Erases for good the records that have been in the trash longer than their workspace's trash period,
 * with what hangs on them: relations pointing at them emptied (on any object, trashed records too),
 * links, index and unique mirrors, search entries, attached files. Each batch is one transaction,
 * recorded in the access audit (`records.purged`) and told to subscribers (`record.purged`, one event
 * per record, so that plugins drop what they keep about it). The audit and past events stay.
 */
export async function purgeExpiredTrash(database: Database, registry: MetadataRegistry, now: Date = new Date()): Promise<PurgeReport> {
  const report: PurgeReport = { erased: [], files: [] };
  const workspaces = await database.db.select({ id: workspace.id, settings: workspace.settings }).from(workspace);
  for (const { id: workspaceId, settings } of workspaces) {
    const days = (settings as { trashDays?: number }).trashDays ?? DEFAULT_TRASH_DAYS;
    const cutoff = new Date(now.getTime() - days * 86_400_000);
    const metadata = await registry.forWorkspace(database.db, workspaceId);
    for (const object of metadata.objects.values()) {
      for (;;) {
        const batch = await database.db.transaction((tx) => purgeBatch(tx, metadata, object, cutoff, days));
        if (batch.ids.length === 0) break;
        const last = report.erased.at(-1);
        if (last?.workspaceId === workspaceId && last.object === object.name) last.count += batch.ids.length;
        else report.erased.push({ workspaceId, object: object.name, count: batch.ids.length });
        report.files.push(...batch.files.map((id) => ({ workspaceId, id })));
        if (batch.ids.length < BATCH) break;
      }
    }
  }
  return report;
}

async function purgeBatch(tx: Executor, metadata: WorkspaceMetadata, object: ObjectDefinition, cutoff: Date, days: number): Promise<{ ids: string[]; files: string[] }> {
  const workspaceId = metadata.workspaceId;
  const store = new ObjectStore(object);
  const rows = await tx
    .select({ id: store.idColumn })
    .from(store.table)
    .where(and(store.scope(workspaceId, { deleted: 'only' }), lt(store.column('deletedAt'), cutoff)))
    .orderBy(store.idColumn)
    .limit(BATCH)
    .for('update', { skipLocked: true });
  const ids = rows.map((row) => row.id as string);
  if (ids.length === 0) return { ids, files: [] };
  const idList = sql.join(ids.map((id) => sql`${id}`), sql`, `);

  // Relations pointing at these records, from any object: emptied, so that no record keeps a dead end.
  const history: (typeof auditEntry.$inferInsert)[] = [];
  for (const source of metadata.objects.values()) {
    const from = new ObjectStore(source);
    for (const field of source.fields) {
      const relation = field.config.relation;
      if (!relation || relation.target !== object.name) continue;
      if (relation.kind === 'manyToMany') {
        await tx.delete(recordLink).where(and(eq(recordLink.workspaceId, workspaceId), eq(recordLink.field, field.key), inArray(recordLink.targetId, ids)));
      } else if (relation.kind === 'manyToOne' && (field.storage.kind === 'column' || field.storage.kind === 'custom')) {
        // The records that pointed at them, changed like any write: a new version, and the change in their history.
        const pointer = from.expression(field).sql;
        const pointing = (await tx
          .select({ id: from.idColumn, target: sql<string>`(${pointer})::text` })
          .from(from.table)
          .where(and(from.scope(workspaceId, { deleted: 'include' }), sql`(${pointer})::text in (${idList})`))) as { id: string; target: string }[];
        if (pointing.length === 0) continue;
        const which = and(eq(from.column('workspaceId'), workspaceId), inArray(from.idColumn, pointing.map((row) => row.id)));
        const emptied = field.storage.kind === 'column' ? { [field.storage.property]: null } : { custom: sql`custom - ${sql.raw(quoteLiteral(field.name))}` };
        await tx.update(from.table).set({ ...emptied, version: sql`version + 1`, updatedAt: new Date() }).where(which);
        if (field.storage.kind === 'custom') await tx.delete(fieldValueIndex).where(and(eq(fieldValueIndex.workspaceId, workspaceId), eq(fieldValueIndex.object, source.name), eq(fieldValueIndex.field, field.name), sql`${fieldValueIndex.valueText} in (${idList})`));
        history.push(...pointing.map((row) => ({ workspaceId, id: newId(), object: source.name, recordId: row.id, action: 'updated', actorKind: 'system', actorId: 'system', changes: [{ field: field.name, old: row.target, new: null }] })));
      }
    }
  }
  await insertRows(tx, auditEntry, history);
  // Their own many-to-many lists.
  for (const field of object.fields) {
    if (field.config.relation?.kind === 'manyToMany') await tx.delete(recordLink).where(and(eq(recordLink.workspaceId, workspaceId), eq(recordLink.field, field.key), inArray(recordLink.sourceId, ids)));
  }
  await tx.delete(fieldValueIndex).where(and(eq(fieldValueIndex.workspaceId, workspaceId), inArray(fieldValueIndex.recordId, ids)));
  await tx.delete(fieldValueUnique).where(and(eq(fieldValueUnique.workspaceId, workspaceId), inArray(fieldValueUnique.recordId, ids)));
  await tx.delete(searchEntry).where(and(eq(searchEntry.workspaceId, workspaceId), eq(searchEntry.object, object.name), inArray(searchEntry.recordId, ids)));
  const files = await tx
    .delete(storedFile)
    .where(and(eq(storedFile.workspaceId, workspaceId), eq(storedFile.object, object.name), inArray(storedFile.recordId, ids)))
    .returning({ id: storedFile.id });
  await tx.delete(store.table).where(and(eq(store.column('workspaceId'), workspaceId), inArray(store.idColumn, ids)));
  const actor = systemActor(workspaceId);
  await writeAudit(tx, { workspaceId, action: 'records.purged', actor, target: object.name, detail: { count: ids.length, trashDays: days, records: ids.slice(0, 100) } });
  await writeEvents(
    tx,
    ids.map((id) => ({ workspaceId, type: 'record.purged', object: object.name, recordId: id, payload: { object: object.name, id, actor: { kind: actor.kind, id: actor.id } } })),
  );
  return { ids, files: files.map((file) => file.id) };
}
