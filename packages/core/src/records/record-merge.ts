import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Executor } from '@rapport/db';
import type { Access } from '../access/access';
import type { Actor } from '../access/actor';
import { writeAudit } from '../access/access-audit';
import { writeEvents } from '../events/outbox-writer';
import { newId } from '../ids';
import type { FieldDefinition, ObjectDefinition } from '../metadata/types';
import type { WorkspaceMetadata } from '../metadata/workspace-metadata';
import { parseOrThrow, problems } from '../problems';
import { auditEntry } from '../schema/audit';
import { recordLink } from '../schema/field-index';
import { type MovedReference, recordMerge } from '../schema/merges';
import { recordTitle } from './record-title';
import { type Link, loadLinks } from './links';
import { ObjectStore } from './object-store';
import { type ApiRecord, loadRecord, presentRecords, type ReadContext } from './record-reader';
import { applyWrites, type WriteGuard, type WriteOperation } from './record-writer';

/** How many records one merge folds into its survivor, at most. */
export const MAX_MERGED = 9;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const recordId = z.string().regex(UUID, 'must be a record id (UUID)');

export const mergeInputSchema = z.strictObject({
  /** The record that stays. */
  survivorId: recordId,
  /** The records folded into it: they go to the trash, their relations move to the survivor. */
  mergedIds: z.array(recordId).min(1).max(MAX_MERGED),
  /** The survivor's values after the merge, for the fields taken from the others (or typed). */
  values: z.record(z.string(), z.unknown()).default({}),
});
export type MergeInput = z.input<typeof mergeInputSchema>;

export interface MergeSummary {
  id: string;
  object: string;
  survivorId: string;
  mergedIds: string[];
  /** The survivor's fields the merge changed. */
  fields: string[];
  /** How many relations of other records it moved to the survivor. */
  moved: number;
  at: string;
  actor: { kind: string; id: string | null };
  undoneAt: string | null;
}

export interface MergeContext {
  tx: Executor;
  actor: Actor;
  /** The actor's rights: the survivor and the merged records are read, updated and deleted with them. */
  access: Access;
  /**
   * The system's rights, for moving relations: a record pointing at a merged one points at the
   * survivor afterwards whoever may see it (a relation left on a trashed record would be a dead end).
   */
  system: Access;
  metadata: WorkspaceMetadata;
  guards: readonly WriteGuard[];
}

const BATCH = 500;

function same(left: unknown, right: unknown): boolean {
  return JSON.stringify(left ?? null) === JSON.stringify(right ?? null);
}

function summary(row: typeof recordMerge.$inferSelect): MergeSummary {
  return {
    id: row.id,
    object: row.object,
    survivorId: row.survivorId,
    mergedIds: row.mergedIds,
    fields: Object.keys(row.survivorAfter),
    moved: row.moved.length,
    at: row.createdAt.toISOString(),
    actor: { kind: row.actorKind, id: row.actorId },
    undoneAt: row.undoneAt?.toISOString() ?? null,
  };
}

/** Every relation field, on any object, whose records point at records of `object`. */
function referencingFields(metadata: WorkspaceMetadata, object: ObjectDefinition): { object: ObjectDefinition; field: FieldDefinition }[] {
  const found: { object: ObjectDefinition; field: FieldDefinition }[] = [];
  for (const other of metadata.objects.values()) {
    for (const field of other.fields) {
      const relation = field.config.relation;
      if (!relation || relation.target !== object.name || relation.inverseOf) continue;
      if (relation.kind === 'manyToOne' || relation.kind === 'manyToMany') found.push({ object: other, field });
    }
  }
  return found;
}

/** The ids among these that are records of `object`, live or in the trash, each with whether it is trashed. */
async function existingIds(tx: Executor, metadata: WorkspaceMetadata, object: ObjectDefinition, ids: string[]): Promise<Map<string, boolean>> {
  const store = new ObjectStore(object);
  const trashedById = new Map<string, boolean>();
  for (let index = 0; index < ids.length; index += 1000) {
    const rows = (await tx
      .select({ id: store.idColumn, trashed: sql<boolean>`${store.column('deletedAt')} is not null` })
      .from(store.table)
      .where(and(store.scope(metadata.workspaceId, { deleted: 'include' }), inArray(store.idColumn, ids.slice(index, index + 1000))))) as { id: string; trashed: boolean }[];
    for (const row of rows) trashedById.set(row.id, row.trashed);
  }
  return trashedById;
}

/** Links with the merged records replaced by the survivor, once each, in their order. */
function relinked(links: Link[], merged: Set<string>, survivorId: string): Link[] {
  const seen = new Set<string>();
  const result: Link[] = [];
  for (const link of links) {
    const id = merged.has(link.id) ? survivorId : link.id;
    if (seen.has(id)) continue;
    seen.add(id);
    result.push({ ...link, id });
  }
  return result;
}

async function writeInBatches(ctx: MergeContext, object: ObjectDefinition, operations: WriteOperation[]): Promise<void> {
  for (let index = 0; index < operations.length; index += BATCH) {
    await applyWrites({ tx: ctx.tx, actor: ctx.actor, access: ctx.system, metadata: ctx.metadata, object, guards: ctx.guards }, operations.slice(index, index + BATCH));
  }
}

/**
 * Points every record that referred to a merged record at the survivor — those in the trash too, so
 * that one restored later does not point at a merged-away record; returns what it moved.
 */
async function moveReferences(ctx: MergeContext, object: ObjectDefinition, mergedIds: string[], survivorId: string): Promise<MovedReference[]> {
  const { tx, metadata } = ctx;
  const merged = new Set(mergedIds);
  const moved: MovedReference[] = [];
  for (const { object: other, field } of referencingFields(metadata, object)) {
    const operations: WriteOperation[] = [];
    if (field.config.relation!.kind === 'manyToOne') {
      const store = new ObjectStore(other);
      const expression = store.expression(field).sql;
      const rows = (await tx
        .select({ id: store.idColumn, from: sql<string>`(${expression})::text`, trashed: sql<boolean>`${store.column('deletedAt')} is not null` })
        .from(store.table)
        .where(and(store.scope(metadata.workspaceId, { deleted: 'include' }), sql`(${expression})::text in (${sql.join(mergedIds.map((id) => sql`${id}`), sql`, `)})`))) as { id: string; from: string; trashed: boolean }[];
      for (const row of rows) {
        operations.push({ kind: 'update', id: row.id, input: { [field.name]: survivorId }, inTrash: row.trashed });
        moved.push({ object: other.name, field: field.name, id: row.id, from: row.from });
      }
    } else {
      const sources = await tx
        .selectDistinct({ id: recordLink.sourceId })
        .from(recordLink)
        .where(and(eq(recordLink.workspaceId, metadata.workspaceId), eq(recordLink.field, field.key), inArray(recordLink.targetId, mergedIds)));
      const existing = await existingIds(tx, metadata, other, sources.map((source) => source.id));
      const links = await loadLinks(tx, metadata, other, [field], [...existing.keys()]);
      for (const [id, trashed] of existing) {
        const previous = links.get(id)?.get(field.name) ?? [];
        operations.push({ kind: 'update', id, input: { [field.name]: relinked(previous, merged, survivorId) }, inTrash: trashed });
        moved.push({ object: other.name, field: field.name, id, links: previous });
      }
    }
    await writeInBatches(ctx, other, operations);
  }
  return moved;
}

/** Puts back the relations a merge moved, where they still point at the survivor as the merge left them. */
async function moveReferencesBack(ctx: MergeContext, mergedIds: string[], survivorId: string, moved: MovedReference[]): Promise<number> {
  const { tx, metadata } = ctx;
  const merged = new Set(mergedIds);
  const groups = new Map<string, MovedReference[]>();
  for (const reference of moved) {
    const key = `${reference.object}\u0000${reference.field}`;
    groups.set(key, [...(groups.get(key) ?? []), reference]);
  }
  let restored = 0;
  for (const references of groups.values()) {
    const other = metadata.objects.get(references[0]!.object);
    const field = other && metadata.field(other, references[0]!.field);
    if (!other || !field) continue; // the object or field has gone since: nothing left to put back
    const ids = references.map((reference) => reference.id);
    const operations: WriteOperation[] = [];
    if (field.config.relation?.kind === 'manyToOne') {
      const store = new ObjectStore(other);
      const expression = store.expression(field).sql;
      const current = new Map<string, { value: string | null; trashed: boolean }>();
      for (let index = 0; index < ids.length; index += 1000) {
        const rows = (await tx
          .select({ id: store.idColumn, value: sql<string | null>`(${expression})::text`, trashed: sql<boolean>`${store.column('deletedAt')} is not null` })
          .from(store.table)
          .where(and(store.scope(metadata.workspaceId, { deleted: 'include' }), inArray(store.idColumn, ids.slice(index, index + 1000))))) as { id: string; value: string | null; trashed: boolean }[];
        for (const row of rows) current.set(row.id, { value: row.value, trashed: row.trashed });
      }
      for (const reference of references) {
        const now = current.get(reference.id);
        if (!('from' in reference) || now?.value !== survivorId) continue;
        operations.push({ kind: 'update', id: reference.id, input: { [field.name]: reference.from }, inTrash: now.trashed });
      }
    } else {
      const existing = await existingIds(tx, metadata, other, ids);
      const links = await loadLinks(tx, metadata, other, [field], [...existing.keys()]);
      for (const reference of references) {
        if (!('links' in reference) || !existing.has(reference.id)) continue;
        const now = links.get(reference.id)?.get(field.name) ?? [];
        if (!same(now, relinked(reference.links, merged, survivorId))) continue;
        operations.push({ kind: 'update', id: reference.id, input: { [field.name]: reference.links }, inTrash: existing.get(reference.id) });
      }
    }
    await writeInBatches(ctx, other, operations);
    restored += operations.length;
  }
  return restored;
}

function readContext(ctx: MergeContext): ReadContext {
  return { executor: ctx.tx, actor: ctx.actor, access: ctx.access, metadata: ctx.metadata };
}

async function present(ctx: MergeContext, object: ObjectDefinition, id: string, deleted: 'exclude' | 'include' = 'exclude'): Promise<ApiRecord> {
  const read = readContext(ctx);
  const [record] = await presentRecords(read, object, [await loadRecord(read, object, id, { deleted })], {});
  return record!;
}

async function timelineEntry(ctx: MergeContext, object: ObjectDefinition, recordId: string, action: 'merged' | 'unmerged', records: { id: string; label: unknown }[]): Promise<void> {
  await ctx.tx.insert(auditEntry).values({
    workspaceId: ctx.metadata.workspaceId,
    id: newId(),
    object: object.name,
    recordId,
    action,
    actorKind: ctx.actor.kind,
    actorId: ctx.actor.id,
    at: new Date(),
    changes: [{ field: 'records', old: null, new: records }],
  });
}

/**
 * Folds records into a survivor in one transaction: the survivor takes the chosen values, every
 * relation pointing at a merged record moves to it, the merged records go to the trash, and the
 * merge is recorded (audit, timeline, event) so that `undoMerge` can take it back while they are there.
 * Needs the right to update the survivor and to delete each merged record.
 */
export async function mergeRecords(ctx: MergeContext, object: ObjectDefinition, input: unknown): Promise<{ merge: MergeSummary; record: ApiRecord }> {
  const { survivorId, mergedIds, values } = parseOrThrow(mergeInputSchema, input);
  if (new Set(mergedIds).size !== mergedIds.length) throw problems.validation([{ field: 'mergedIds', code: 'duplicate', message: 'names a record twice' }]);
  if (mergedIds.includes(survivorId)) throw problems.validation([{ field: 'mergedIds', code: 'invalid', message: 'must not contain the survivor' }]);
  ctx.access.assertObject(object, 'update');
  ctx.access.assertObject(object, 'delete');
  const before = await present(ctx, object, survivorId);
  const others = await Promise.all(mergedIds.map((id) => present(ctx, object, id)));
  const label = (record: ApiRecord) => ({ id: record.id, label: recordTitle(object, record) });

  // The merged records first: a unique value (an email) can then pass to the survivor.
  await applyWrites({ tx: ctx.tx, actor: ctx.actor, access: ctx.access, metadata: ctx.metadata, object, guards: ctx.guards, prefixOf: (index) => `mergedIds.${index}` }, mergedIds.map((id) => ({ kind: 'delete', id })));
  if (Object.keys(values).length > 0) {
    await applyWrites({ tx: ctx.tx, actor: ctx.actor, access: ctx.access, metadata: ctx.metadata, object, guards: ctx.guards, prefixOf: () => 'values' }, [{ kind: 'update', id: survivorId, input: values }]);
  }
  const moved = await moveReferences(ctx, object, mergedIds, survivorId);
  const after = await present(ctx, object, survivorId);
  const changed = Object.keys(values).filter((name) => !same(before[name], after[name]));

  const row = {
    workspaceId: ctx.metadata.workspaceId,
    id: newId(),
    object: object.name,
    survivorId,
    mergedIds,
    survivorBefore: Object.fromEntries(changed.map((name) => [name, before[name] ?? null])),
    survivorAfter: Object.fromEntries(changed.map((name) => [name, after[name] ?? null])),
    moved,
    actorKind: ctx.actor.kind,
    actorId: ctx.actor.id,
    createdAt: new Date(),
    undoneAt: null,
    undoneBy: null,
  };
  await ctx.tx.insert(recordMerge).values(row);
  await timelineEntry(ctx, object, survivorId, 'merged', others.map(label));
  await writeAudit(ctx.tx, { workspaceId: ctx.metadata.workspaceId, action: 'records.merged', actor: ctx.actor, target: object.name, detail: { mergeId: row.id, survivorId, mergedIds, fields: changed, moved: moved.length } });
  await writeEvents(ctx.tx, [{ workspaceId: ctx.metadata.workspaceId, type: 'record.merged', object: object.name, recordId: survivorId, payload: { object: object.name, id: survivorId, mergedIds, mergeId: row.id, actor: { kind: ctx.actor.kind, id: ctx.actor.id } } }]);
  return { merge: summary(row), record: after };
}

async function findMerge(ctx: MergeContext, mergeId: string): Promise<typeof recordMerge.$inferSelect> {
  if (!UUID.test(mergeId)) throw problems.notFound(`There is no merge ${mergeId}`);
  const [row] = await ctx.tx.select().from(recordMerge).where(and(eq(recordMerge.workspaceId, ctx.metadata.workspaceId), eq(recordMerge.id, mergeId))).for('update');
  if (!row || !ctx.metadata.objects.has(row.object)) throw problems.notFound(`There is no merge ${mergeId}`);
  return row;
}

/**
 * Takes a merge back: the merged records come back from the trash, the relations it moved and the
 * survivor's values it changed return where nobody has changed them since (those changed are kept,
 * and named in `kept`). Needs the same rights as the merge.
 */
export async function undoMerge(ctx: MergeContext, mergeId: string): Promise<{ merge: MergeSummary; kept: string[]; movedBack: number }> {
  const row = await findMerge(ctx, mergeId);
  if (row.undoneAt) throw problems.conflict(`This merge was undone on ${row.undoneAt.toISOString()}`);
  const object = ctx.metadata.object(row.object);
  ctx.access.assertObject(object, 'update');
  ctx.access.assertObject(object, 'delete');
  const survivor = await loadRecord(readContext(ctx), object, row.survivorId, { deleted: 'include' });
  if (survivor.deletedAt) throw problems.conflict(`The record these were merged into (${row.survivorId}) is in the trash: restore it first`);
  const current = await present(ctx, object, row.survivorId);
  const revert: Record<string, unknown> = {};
  const kept: string[] = [];
  for (const [name, value] of Object.entries(row.survivorAfter)) {
    if (same(current[name], value)) revert[name] = row.survivorBefore[name] ?? null;
    else kept.push(name);
  }
  // The survivor first, so that the values it gives back are free again for the restored records.
  if (Object.keys(revert).length > 0) {
    await applyWrites({ tx: ctx.tx, actor: ctx.actor, access: ctx.access, metadata: ctx.metadata, object, guards: ctx.guards }, [{ kind: 'update', id: row.survivorId, input: revert }]);
  }
  const restore = async () => {
    await applyWrites({ tx: ctx.tx, actor: ctx.actor, access: ctx.access, metadata: ctx.metadata, object, guards: ctx.guards }, row.mergedIds.map((id) => ({ kind: 'restore', id })));
  };
  await restore().catch((error: unknown) => {
    if ((error as { status?: number }).status === 404) throw problems.conflict('A merged record is no longer in the trash: this merge can no longer be undone');
    throw error;
  });
  const movedBack = await moveReferencesBack(ctx, row.mergedIds, row.survivorId, row.moved);
  const restored = await Promise.all(row.mergedIds.map((id) => present(ctx, object, id)));
  const undoneAt = new Date();
  await ctx.tx.update(recordMerge).set({ undoneAt, undoneBy: `${ctx.actor.kind}:${ctx.actor.id}` }).where(and(eq(recordMerge.workspaceId, row.workspaceId), eq(recordMerge.id, row.id)));
  await timelineEntry(ctx, object, row.survivorId, 'unmerged', restored.map((record) => ({ id: record.id, label: recordTitle(object, record) })));
  await writeAudit(ctx.tx, { workspaceId: row.workspaceId, action: 'records.unmerged', actor: ctx.actor, target: object.name, detail: { mergeId: row.id, survivorId: row.survivorId, mergedIds: row.mergedIds, kept, movedBack } });
  await writeEvents(ctx.tx, [{ workspaceId: row.workspaceId, type: 'record.unmerged', object: object.name, recordId: row.survivorId, payload: { object: object.name, id: row.survivorId, mergedIds: row.mergedIds, mergeId: row.id, actor: { kind: ctx.actor.kind, id: ctx.actor.id } } }]);
  return { merge: summary({ ...row, undoneAt }), kept, movedBack };
}

/** The merges into a record the reader may read, newest first. */
export async function listMerges(ctx: MergeContext, object: ObjectDefinition, survivorId: string): Promise<MergeSummary[]> {
  await present(ctx, object, survivorId, 'include');
  const rows = await ctx.tx
    .select()
    .from(recordMerge)
    .where(and(eq(recordMerge.workspaceId, ctx.metadata.workspaceId), eq(recordMerge.object, object.name), eq(recordMerge.survivorId, survivorId)))
    .orderBy(desc(recordMerge.createdAt))
    .limit(100);
  return rows.map(summary);
}

/**
 * The records merged into these (and into those, and so on), while their merges stand: their
 * history belongs to the survivor's timeline.
 */
export async function mergedInto(executor: Executor, workspaceId: string, object: string, recordId: string): Promise<string[]> {
  const found: string[] = [];
  let frontier = [recordId];
  for (let depth = 0; depth < 5 && frontier.length > 0; depth++) {
    const rows = await executor
      .select({ mergedIds: recordMerge.mergedIds })
      .from(recordMerge)
      .where(and(eq(recordMerge.workspaceId, workspaceId), eq(recordMerge.object, object), inArray(recordMerge.survivorId, frontier), isNull(recordMerge.undoneAt)));
    frontier = rows.flatMap((row) => row.mergedIds).filter((id) => id !== recordId && !found.includes(id));
    found.push(...frontier);
  }
  return found;
}
