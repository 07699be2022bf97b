import { index, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export interface FieldChange {
  field: string;
  old: unknown;
  new: unknown;
}

/**
 * A change as the audit stores it: `old` is left out when it was null (every field of a created
 * record: an import's audit entries were a fifth `"old": null`). Read back through `readChange`.
 */
export type StoredFieldChange = Omit<FieldChange, 'old'> & { old?: unknown };

export const storeChange = (change: FieldChange): StoredFieldChange => (change.old === null ? { field: change.field, new: change.new } : change);
export const readChange = (change: StoredFieldChange): FieldChange => ('old' in change ? (change as FieldChange) : { field: change.field, old: null, new: change.new });

/** Who changed what on a record, written in the transaction of the change; never updated. */
export const auditEntry = pgTable(
  'audit_entry',
  {
    workspaceId: uuid('workspace_id').notNull(),
    id: uuid('id').notNull(),
    object: text('object').notNull(),
    recordId: uuid('record_id').notNull(),
    action: text('action').notNull(),
    actorKind: text('actor_kind').notNull(),
    actorId: text('actor_id'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    changes: jsonb('changes').$type<StoredFieldChange[]>().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    index('audit_entry_record_idx').on(t.workspaceId, t.object, t.recordId, t.id),
  ],
);
