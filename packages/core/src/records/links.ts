import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '@rapport/db';
import type { FieldDefinition, ObjectDefinition } from '../metadata/types';
import type { WorkspaceMetadata } from '../metadata/workspace-metadata';
import { recordLink } from '../schema/field-index';

export interface Link {
  id: string;
  [attribute: string]: unknown;
}

/** The forward field (on the declaring object) of a many-to-many field, and which side `object` is. */
export function linkSide(metadata: WorkspaceMetadata, field: FieldDefinition): { key: string; forward: boolean } {
  const relation = field.config.relation!;
  if (!relation.inverseOf) return { key: field.key, forward: true };
  const forwardField = metadata.field(metadata.object(relation.target), relation.inverseOf)!;
  return { key: forwardField.key, forward: false };
}

/** Loads the links of every many-to-many field of these records in one query. */
export async function loadLinks(
  executor: Executor,
  metadata: WorkspaceMetadata,
  object: ObjectDefinition,
  fields: FieldDefinition[],
  ids: string[],
): Promise<Map<string, Map<string, Link[]>>> {
  const result = new Map<string, Map<string, Link[]>>();
  if (fields.length === 0 || ids.length === 0) return result;
  const sides = fields.map((field) => ({ field, ...linkSide(metadata, field) }));
  const conditions = sides.map((side) =>
    and(eq(recordLink.field, side.key), inArray(side.forward ? recordLink.sourceId : recordLink.targetId, ids)),
  );
  const found = await executor
    .select()
    .from(recordLink)
    .where(and(eq(recordLink.workspaceId, metadata.workspaceId), sql`(${sql.join(conditions.map((c) => sql`(${c})`), sql` or `)})`))
    .orderBy(asc(recordLink.position));
  const wanted = new Set(ids);
  for (const row of found) {
    for (const side of sides) {
      if (row.field !== side.key) continue;
      const self = side.forward ? row.sourceId : row.targetId;
      const other = side.forward ? row.targetId : row.sourceId;
      if (!wanted.has(self)) continue;
      const perRecord = result.get(self) ?? new Map<string, Link[]>();
      result.set(self, perRecord);
      const list = perRecord.get(side.field.name) ?? [];
      perRecord.set(side.field.name, list);
      list.push({ id: other, ...(row.attributes ?? {}) });
    }
  }
  return result;
}

/** Replaces the links of one forward many-to-many field of one record; returns the previous links. */
export async function replaceLinks(
  tx: Executor,
  workspaceId: string,
  field: FieldDefinition,
  sourceId: string,
  links: Link[],
): Promise<void> {
  await tx
    .delete(recordLink)
    .where(and(eq(recordLink.workspaceId, workspaceId), eq(recordLink.field, field.key), eq(recordLink.sourceId, sourceId)));
  if (links.length === 0) return;
  await tx.insert(recordLink).values(
    links.map(({ id, ...attributes }) => ({
      workspaceId,
      field: field.key,
      sourceId,
      targetId: id,
      attributes: Object.fromEntries(Object.entries(attributes).filter(([, value]) => value !== null && value !== undefined)),
    })),
  );
}
