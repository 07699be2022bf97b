import { integer, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, updatedAt } from './columns';

/** Objects created at run time by a workspace (objects declared in code are not stored here). */
export const objectDefinition = pgTable(
  'object_definition',
  {
    workspaceId: uuid('workspace_id').notNull(),
    id: uuid('id').notNull(),
    key: text('key').notNull(),
    name: text('name').notNull(),
    owner: text('owner').notNull(),
    definition: jsonb('definition').$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    uniqueIndex('object_definition_name_idx').on(t.workspaceId, t.name),
    uniqueIndex('object_definition_key_idx').on(t.workspaceId, t.key),
  ],
);

/** Fields added at run time, to a code-declared object or to a custom object. */
export const fieldDefinition = pgTable(
  'field_definition',
  {
    workspaceId: uuid('workspace_id').notNull(),
    id: uuid('id').notNull(),
    object: text('object').notNull(),
    key: text('key').notNull(),
    name: text('name').notNull(),
    owner: text('owner').notNull(),
    position: integer('position').notNull().default(0),
    definition: jsonb('definition').$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    uniqueIndex('field_definition_name_idx').on(t.workspaceId, t.object, t.name),
    uniqueIndex('field_definition_key_idx').on(t.workspaceId, t.key),
  ],
);

/**
 * A workspace's changes to an entity declared in code (labels, extra rules, unique or indexed):
 * kept apart so that an upgrade of the declaring code never overwrites them.
 */
export const metadataOverride = pgTable(
  'metadata_override',
  {
    workspaceId: uuid('workspace_id').notNull(),
    entityKey: text('entity_key').notNull(),
    patch: jsonb('patch').$type<Record<string, unknown>>().notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.entityKey] })],
);

export const metadataVersion = pgTable('metadata_version', {
  workspaceId: uuid('workspace_id').primaryKey(),
  version: integer('version').notNull().default(0),
});
