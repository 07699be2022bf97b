import { index, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export interface FieldChange {
  field: string;
  old: unknown;
  new: unknown;
}

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
    changes: jsonb('changes').$type<FieldChange[]>().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    index('audit_entry_record_idx').on(t.workspaceId, t.object, t.recordId, t.id),
  ],
);
