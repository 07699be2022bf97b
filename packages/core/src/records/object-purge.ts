import { and, eq, sql } from 'drizzle-orm';
import type { WorkspaceMetadata } from '../metadata/workspace-metadata';
import { ObjectStore } from './object-store';
import type { Executor } from '@rapport/db';
import { auditEntry } from '../schema/audit';
import { fieldValueIndex, fieldValueUnique, recordLink } from '../schema/field-index';
import { recordMerge } from '../schema/merges';
import { fieldDefinition } from '../schema/metadata';
import { outboxDelivery, outboxEvent } from '../schema/outbox';
import { customRecord } from '../schema/records';
import { searchEntry } from '../schema/search';
import { savedView } from '../schema/views';

/**
 * Deletes every record of an object stored in custom_record (a purged plugin's), in every workspace,
 * with all that points at them: links, index and unique mirrors, search entries, audit entries,
 * events, merges, the fields workspaces added to it and its saved views. Returns how many records went.
 */
export async function purgeObjectData(tx: Executor, objectName: string): Promise<number> {
  const ids = sql`(select ${customRecord.workspaceId}, ${customRecord.id} from ${customRecord} where ${customRecord.object} = ${objectName})`;
  await tx.execute(sql`delete from ${recordLink} where (${recordLink.workspaceId}, ${recordLink.sourceId}) in ${ids} or (${recordLink.workspaceId}, ${recordLink.targetId}) in ${ids}`);
  await tx.execute(sql`delete from ${fieldValueIndex} where ${fieldValueIndex.object} = ${objectName}`);
  await tx.execute(sql`delete from ${fieldValueUnique} where ${fieldValueUnique.object} = ${objectName}`);
  await tx.execute(sql`delete from ${searchEntry} where ${searchEntry.object} = ${objectName}`);
  await tx.execute(sql`delete from ${auditEntry} where ${auditEntry.object} = ${objectName}`);
  await tx.execute(sql`delete from ${outboxDelivery} where ${outboxDelivery.eventId} in (select ${outboxEvent.id} from ${outboxEvent} where ${outboxEvent.object} = ${objectName})`);
  await tx.execute(sql`delete from ${outboxEvent} where ${outboxEvent.object} = ${objectName}`);
  await tx.execute(sql`delete from ${fieldDefinition} where ${fieldDefinition.object} = ${objectName}`);
  await tx.execute(sql`delete from ${recordMerge} where ${recordMerge.object} = ${objectName}`);
  await tx.execute(sql`delete from ${savedView} where ${savedView.object} = ${objectName}`);
  const deleted = await tx.delete(customRecord).where(sql`${customRecord.object} = ${objectName}`).returning({ id: customRecord.id });
  return deleted.length;
}

/**
 * Deletes the values of fields a purged plugin added to other objects, in every workspace: from the
 * records' `custom` values (trashed records too), their index and unique mirrors and search entries.
 */
export async function purgeDeclaredFieldData(tx: Executor, metadata: WorkspaceMetadata, fields: readonly { object: string; field: { name: string } }[]): Promise<void> {
  for (const { object: objectName, field } of fields) {
    const object = metadata.findObject(objectName);
    if (!object) continue;
    const store = new ObjectStore(object);
    const scope = store.isCustomRecord ? sql`${customRecord.object} = ${object.name} and ` : sql``;
    await tx.execute(sql`update ${store.table} set custom = custom - ${field.name}::text where ${scope}custom ? ${field.name}::text`);
    await tx.delete(fieldValueIndex).where(and(eq(fieldValueIndex.object, object.name), eq(fieldValueIndex.field, field.name)));
    await tx.delete(fieldValueUnique).where(and(eq(fieldValueUnique.object, object.name), eq(fieldValueUnique.field, field.name)));
    await tx.delete(searchEntry).where(and(eq(searchEntry.object, object.name), eq(searchEntry.field, field.name)));
  }
}
