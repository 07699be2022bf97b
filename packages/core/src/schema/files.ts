import { index, integer, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from './columns';

/** A file attached to a record; its bytes live in the data folder, under files/<workspace>/<id>. */
export const storedFile = pgTable(
  'stored_file',
  {
    workspaceId: uuid('workspace_id').notNull(),
    id: uuid('id').notNull(),
    object: text('object').notNull(),
    recordId: uuid('record_id').notNull(),
    name: text('name').notNull(),
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    createdBy: text('created_by'),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), index('stored_file_record_idx').on(t.workspaceId, t.object, t.recordId)],
);
