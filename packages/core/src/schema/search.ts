import { index, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { tsvector } from './columns';

/**
 * One entry per (record, field): the unaccented, lower-cased text and its tsvector. A search only
 * ever covers the fields its caller may read, since the permission filter can drop entries by field.
 */
export const searchEntry = pgTable(
  'search_entry',
  {
    workspaceId: uuid('workspace_id').notNull(),
    object: text('object').notNull(),
    recordId: uuid('record_id').notNull(),
    field: text('field').notNull(),
    text: text('text').notNull(),
    document: tsvector('document').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.object, t.recordId, t.field] }),
    // Words anywhere in a field. Not keyed by workspace: a GIN key that every entry of a workspace
    // shares only lengthens each posting list (measured 3x slower); the workspace filters the rows.
    index('search_entry_document_idx').using('gin', t.document),
    // A whole field starting with what was typed: the common case, answered without touching GIN.
    index('search_entry_prefix_idx').on(t.workspaceId, t.text.op('text_pattern_ops')),
  ],
);
