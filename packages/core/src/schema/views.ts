import { sql } from 'drizzle-orm';
import { check, index, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, updatedAt } from './columns';
import { workspace } from './workspace';

/** A saved list view of one object: columns, filter, sort, kanban grouping; private, a team's or the workspace's. */
export const savedView = pgTable(
  'saved_view',
  {
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspace.id),
    id: uuid('id').notNull(),
    object: text('object').notNull(),
    name: text('name').notNull(),
    columns: jsonb('columns').$type<string[]>().notNull(),
    filter: jsonb('filter'),
    sort: text('sort'),
    groupBy: text('group_by'),
    visibility: text('visibility').notNull(),
    teamId: uuid('team_id'),
    ownerId: uuid('owner_id').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    index('saved_view_object_idx').on(t.workspaceId, t.object),
    check('saved_view_visibility_check', sql`${t.visibility} in ('private', 'team', 'workspace')`),
    check('saved_view_team_check', sql`(${t.visibility} = 'team') = (${t.teamId} is not null)`),
  ],
);
