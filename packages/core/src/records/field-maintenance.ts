import { and, eq, gt, sql } from 'drizzle-orm';
import { type Executor, rows } from '@rapport/db';
import type { FieldDefinition, ObjectDefinition } from '../metadata/types';
import { fieldValueIndex, fieldValueUnique, recordLink } from '../schema/field-index';
import { searchEntry } from '../schema/search';
import { backfillFieldMirror, isIndexMirrored } from './field-mirrors';
import { ObjectStore } from './object-store';
import { clearSearchEntries, isSearchIndexed, writeSearchEntries } from './search-index';

/*
 * What a metadata change does to existing records: set-based statements over the rows of one
 * workspace and object, run in the metadata change's transaction. No DDL.
 */

function jsonOf(store: ObjectStore, field: FieldDefinition) {
  return field.storage.kind === 'custom' ? store.jsonValue(field) : sql`to_jsonb(${store.jsonValue(field)})`;
}

function isEmpty(store: ObjectStore, field: FieldDefinition) {
  const value = jsonOf(store, field);
  return sql`(${value} is null or ${value} = 'null'::jsonb or ${value} = '[]'::jsonb)`;
}

export async function countRecords(tx: Executor, workspaceId: string, object: ObjectDefinition): Promise<number> {
  const store = new ObjectStore(object);
  const [row] = await rows<{ count: number }>(tx, sql`select count(*)::int as count from ${store.table} where ${store.scope(workspaceId, { deleted: 'include' })}`);
  return row?.count ?? 0;
}

/** Live records with no value for the field (before it becomes required). */
export async function countMissing(tx: Executor, workspaceId: string, object: ObjectDefinition, field: FieldDefinition): Promise<number> {
  const store = new ObjectStore(object);
  const [row] = await rows<{ count: number }>(tx, sql`select count(*)::int as count from ${store.table} where ${store.scope(workspaceId)} and ${isEmpty(store, field)}`);
  return row?.count ?? 0;
}

/** Option values still in use that a new option list would drop. */
export async function optionsInUse(tx: Executor, workspaceId: string, object: ObjectDefinition, field: FieldDefinition, kept: string[]): Promise<string[]> {
  const store = new ObjectStore(object);
  const value = jsonOf(store, field);
  const element = field.type === 'multiSelect' ? sql`jsonb_array_elements_text(${value})` : sql`(${value} #>> '{}')`;
  const found = await rows<{ value: string }>(
    tx,
    sql`select distinct v as value from (select ${element} as v from ${store.table} where ${store.scope(workspaceId, { deleted: 'include' })} and ${value} is not null) s
      where v is not null ${kept.length ? sql`and v not in (${sql.join(kept.map((item) => sql`${item}`), sql`, `)})` : sql``} limit 5`,
  );
  return found.map((row) => row.value);
}

export async function enableIndexMirror(tx: Executor, workspaceId: string, object: ObjectDefinition, field: FieldDefinition): Promise<void> {
  const store = new ObjectStore(object);
  await backfillFieldMirror(tx, workspaceId, object, field, 'index', { table: sql`${store.table}`, scope: store.scope(workspaceId), id: sql`${store.idColumn}`, value: jsonOf(store, field) });
}

export async function enableUniqueMirror(tx: Executor, workspaceId: string, object: ObjectDefinition, field: FieldDefinition): Promise<void> {
  const store = new ObjectStore(object);
  await backfillFieldMirror(tx, workspaceId, object, field, 'unique', { table: sql`${store.table}`, scope: store.scope(workspaceId), id: sql`${store.idColumn}`, value: jsonOf(store, field) });
}

export async function disableIndexMirror(tx: Executor, workspaceId: string, object: ObjectDefinition, field: FieldDefinition): Promise<void> {
  if (isIndexMirrored({ ...field, indexed: false })) return; // relations keep their mirror for reverse lookups
  await tx.delete(fieldValueIndex).where(and(eq(fieldValueIndex.workspaceId, workspaceId), eq(fieldValueIndex.object, object.name), eq(fieldValueIndex.field, field.name)));
}

export async function disableUniqueMirror(tx: Executor, workspaceId: string, object: ObjectDefinition, field: FieldDefinition): Promise<void> {
  await tx.delete(fieldValueUnique).where(and(eq(fieldValueUnique.workspaceId, workspaceId), eq(fieldValueUnique.object, object.name), eq(fieldValueUnique.field, field.name)));
}

/** Rewrites the search entries of one field for every live record, in pages, with the same code as writes. */
export async function reindexSearchField(tx: Executor, workspaceId: string, object: ObjectDefinition, field: FieldDefinition): Promise<void> {
  await tx.delete(searchEntry).where(and(eq(searchEntry.workspaceId, workspaceId), eq(searchEntry.object, object.name), eq(searchEntry.field, field.name)));
  if (!isSearchIndexed(field)) return;
  const store = new ObjectStore(object);
  let after: string | undefined;
  for (;;) {
    const page = (await tx
      .select()
      .from(store.table)
      .where(and(store.scope(workspaceId), after ? gt(store.idColumn, after) : undefined))
      .orderBy(store.idColumn)
      .limit(1000)) as Record<string, unknown>[];
    if (page.length === 0) return;
    const records = page.map((row) => store.fromRow(row));
    const changed = new Set([field.name]);
    await writeSearchEntries(tx, workspaceId, object, records.map((record) => ({ id: record.id, values: record.values, changed })));
    after = records.at(-1)!.id;
  }
}

/** Removes every trace of a deleted field from the records: values, mirrors, search entries, links. */
export async function dropFieldData(tx: Executor, workspaceId: string, object: ObjectDefinition, field: FieldDefinition): Promise<void> {
  const store = new ObjectStore(object);
  if (field.storage.kind === 'custom') {
    await tx.execute(
      sql`update ${store.table} set custom = custom - ${field.name}::text where ${store.scope(workspaceId, { deleted: 'include' })} and custom ? ${field.name}::text`,
    );
  }
  await disableUniqueMirror(tx, workspaceId, object, field);
  await tx.delete(fieldValueIndex).where(and(eq(fieldValueIndex.workspaceId, workspaceId), eq(fieldValueIndex.object, object.name), eq(fieldValueIndex.field, field.name)));
  await tx.delete(searchEntry).where(and(eq(searchEntry.workspaceId, workspaceId), eq(searchEntry.object, object.name), eq(searchEntry.field, field.name)));
  if (field.storage.kind === 'link') await tx.delete(recordLink).where(and(eq(recordLink.workspaceId, workspaceId), eq(recordLink.field, field.key)));
}

export { clearSearchEntries };
