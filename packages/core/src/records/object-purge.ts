import { sql } from 'drizzle-orm';
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
