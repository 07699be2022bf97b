import { bigserial, index, jsonb, numeric, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/*
 * Fixed-shape mirrors of custom fields marked indexed or unique, kept by the data-access layer in
 * the same transaction as the write, so that no DDL ever runs at run time.
 */

export const fieldValueIndex = pgTable(
  'field_value_index',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    workspaceId: uuid('workspace_id').notNull(),
    object: text('object').notNull(),
    field: text('field').notNull(),
    recordId: uuid('record_id').notNull(),
    valueText: text('value_text'),
    valueNum: numeric('value_num'),
    valueTime: timestamp('value_time', { withTimezone: true }),
  },
  (t) => [
    index('field_value_index_text_idx').on(t.workspaceId, t.object, t.field, t.valueText, t.recordId),
    index('field_value_index_num_idx').on(t.workspaceId, t.object, t.field, t.valueNum, t.recordId),
    index('field_value_index_time_idx').on(t.workspaceId, t.object, t.field, t.valueTime, t.recordId),
    index('field_value_index_record_idx').on(t.workspaceId, t.recordId),
  ],
);

export const fieldValueUnique = pgTable(
  'field_value_unique',
  {
    workspaceId: uuid('workspace_id').notNull(),
    object: text('object').notNull(),
    field: text('field').notNull(),
    value: text('value').notNull(),
    recordId: uuid('record_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.object, t.field, t.value] }),
    index('field_value_unique_record_idx').on(t.workspaceId, t.recordId),
  ],
);

/** Many-to-many relations, with attributes on the link (a contact's role on a deal). */
export const recordLink = pgTable(
  'record_link',
  {
    workspaceId: uuid('workspace_id').notNull(),
    field: text('field').notNull(),
    sourceId: uuid('source_id').notNull(),
    targetId: uuid('target_id').notNull(),
    attributes: jsonb('attributes').$type<Record<string, unknown>>().notNull().default({}),
    position: bigserial('position', { mode: 'number' }),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.field, t.sourceId, t.targetId] }),
    index('record_link_target_idx').on(t.workspaceId, t.field, t.targetId),
  ],
);
