import { and, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '@rapport/db';
import { rows } from '@rapport/db';
import { fieldTypes } from '../metadata/field-types';
import type { FieldDefinition, ObjectDefinition } from '../metadata/types';
import { insertRows } from '../bulk-insert';
import { problems } from '../problems';
import { fieldValueIndex, fieldValueUnique } from '../schema/field-index';

export interface MirroredRecord {
  id: string;
  values: Record<string, unknown>;
  /** Fields whose value changed (all fields for a new record). */
  changed: ReadonlySet<string>;
  /** A record that did not exist before this write: it has nothing indexed to remove. */
  isNew?: boolean;
}

const CHUNK = 1000;

function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let index = 0; index < items.length; index += size) out.push(items.slice(index, index + size));
  return out;
}

/** Custom fields kept in field_value_index: those marked indexed, and many-to-one relations (for reverse lookups). */
export function isIndexMirrored(field: FieldDefinition): boolean {
  if (field.storage.kind !== 'custom' || !fieldTypes[field.type].indexColumn) return false;
  return field.indexed || field.config.relation?.kind === 'manyToOne';
}

export function isUniqueMirrored(field: FieldDefinition): boolean {
  return field.unique && (field.storage.kind === 'custom' || field.storage.kind === 'column');
}

/**
 * Keeps the fixed-shape mirrors of indexed and unique fields in step with a write, in the write's
 * transaction. A duplicate value of a unique field is a 409 naming the field; nothing is written.
 */
export async function writeFieldMirrors(
  tx: Executor,
  workspaceId: string,
  object: ObjectDefinition,
  records: MirroredRecord[],
  prefixOf: (recordIndex: number) => string | undefined = () => undefined,
): Promise<void> {
  const indexed = object.fields.filter(isIndexMirrored);
  const unique = object.fields.filter(isUniqueMirrored);
  if (indexed.length === 0 && unique.length === 0) return;

  for (const field of indexed) {
    const touched = records.filter((record) => record.changed.has(field.name));
    if (touched.length === 0) continue;
    for (const part of chunks(touched)) {
      await tx
        .delete(fieldValueIndex)
        .where(
          and(
            eq(fieldValueIndex.workspaceId, workspaceId),
            inArray(fieldValueIndex.recordId, part.map((record) => record.id)),
            eq(fieldValueIndex.object, object.name),
            eq(fieldValueIndex.field, field.name),
          ),
        );
    }
    const column = fieldTypes[field.type].indexColumn!;
    const entries = touched.flatMap((record) => {
      const value = record.values[field.name];
      if (value === null || value === undefined) return [];
      return fieldTypes[field.type].indexValues(value).map((item) => ({
        workspaceId,
        object: object.name,
        field: field.name,
        recordId: record.id,
        valueText: column === 'value_text' ? String(item) : null,
        valueNum: column === 'value_num' ? String(item) : null,
        valueTime: column === 'value_time' ? new Date(item as string) : null,
      }));
    });
    await insertRows(tx, fieldValueIndex, entries);
  }

  for (const field of unique) {
    const touched = records.filter((record) => record.changed.has(field.name));
    if (touched.length === 0) continue;
    for (const part of chunks(touched)) {
      await tx
        .delete(fieldValueUnique)
        .where(
          and(
            eq(fieldValueUnique.workspaceId, workspaceId),
            eq(fieldValueUnique.object, object.name),
            eq(fieldValueUnique.field, field.name),
            inArray(fieldValueUnique.recordId, part.map((record) => record.id)),
          ),
        );
    }
    const entries = touched.flatMap((record) => {
      const value = record.values[field.name];
      const key = value === null || value === undefined ? null : fieldTypes[field.type].uniqueKey(value);
      return key === null ? [] : [{ workspaceId, object: object.name, field: field.name, value: key, recordId: record.id }];
    });
    for (const part of chunks(entries)) {
      const inserted = await tx
        .insert(fieldValueUnique)
        .values(part)
        .onConflictDoNothing()
        .returning({ recordId: fieldValueUnique.recordId, value: fieldValueUnique.value });
      if (inserted.length === part.length) continue;
      const done = new Set(inserted.map((row) => `${row.recordId}\u0000${row.value}`));
      const clash = part.find((entry) => !done.has(`${entry.recordId}\u0000${entry.value}`))!;
      const index = records.findIndex((record) => record.id === clash.recordId);
      const prefix = prefixOf(index);
      const path = prefix ? `${prefix}.${field.name}` : field.name;
      throw problems.uniqueViolation(path, `${field.name} must be unique: another ${object.name} already has "${String(records[index]?.values[field.name])}"`);
    }
  }
}

/** Removes a record's mirror rows (soft delete); restore writes them again. */
export async function clearFieldMirrors(tx: Executor, workspaceId: string, object: ObjectDefinition, ids: string[]): Promise<void> {
  for (const part of chunks(ids)) {
    await tx.delete(fieldValueIndex).where(and(eq(fieldValueIndex.workspaceId, workspaceId), inArray(fieldValueIndex.recordId, part)));
    await tx
      .delete(fieldValueUnique)
      .where(and(eq(fieldValueUnique.workspaceId, workspaceId), eq(fieldValueUnique.object, object.name), inArray(fieldValueUnique.recordId, part)));
  }
}

/** Fills a field's mirror from the existing records, set-based, when the field becomes indexed or unique. */
export async function backfillFieldMirror(
  tx: Executor,
  workspaceId: string,
  object: ObjectDefinition,
  field: FieldDefinition,
  mode: 'index' | 'unique',
  source: { table: SQL; scope: SQL; id: SQL; value: SQL },
): Promise<void> {
  if (mode === 'index') {
    const column = fieldTypes[field.type].indexColumn!;
    const valueExpression =
      field.type === 'multiSelect'
        ? sql`jsonb_array_elements_text(${source.value})`
        : field.type === 'currency'
          ? sql`(${source.value} ->> 'amountMinor')`
          : sql`(${source.value} #>> '{}')`;
    const target = { value_text: sql`value_text`, value_num: sql`value_num`, value_time: sql`value_time` }[column];
    const cast = { value_text: sql`text`, value_num: sql`numeric`, value_time: sql`timestamptz` }[column];
    await tx.execute(sql`insert into ${fieldValueIndex} (workspace_id, object, field, record_id, ${target})
      select ${workspaceId}, ${object.name}, ${field.name}, ${source.id}, (${valueExpression})::${cast}
      from ${source.table} where ${source.scope} and ${source.value} is not null and ${source.value} <> 'null'::jsonb`);
    return;
  }
  const normalized = ['text', 'email', 'url'].includes(field.type) ? sql`lower(${source.value} #>> '{}')` : sql`(${source.value} #>> '{}')`;
  const duplicates = await rows<{ value: string; count: number }>(
    tx,
    sql`select ${normalized} as value, count(*)::int as count from ${source.table}
      where ${source.scope} and ${source.value} is not null group by 1 having count(*) > 1 limit 3`,
  );
  if (duplicates.length > 0) {
    throw problems.conflict(
      `${field.name} cannot become unique: some ${object.name} records share a value (${duplicates.map((row) => `"${row.value}" ×${row.count}`).join(', ')}); fix them first`,
      [{ field: 'unique', code: 'duplicates_exist', message: `existing values of ${field.name} are not unique` }],
    );
  }
  await tx.execute(sql`insert into ${fieldValueUnique} (workspace_id, object, field, value, record_id)
    select ${workspaceId}, ${object.name}, ${field.name}, ${normalized}, ${source.id}
    from ${source.table} where ${source.scope} and ${source.value} is not null`);
}
