import { index, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from './columns';

/** A relation the merge moved from a merged record to the survivor: put back on undo if still there. */
export type MovedReference =
  | { object: string; field: string; id: string; from: string }
  | { object: string; field: string; id: string; links: { id: string; [attribute: string]: unknown }[] };

/**
 * One merge of records into a survivor: what it changed, so that it can be undone while the merged
 * records are in the trash. Their history shows on the survivor's timeline until then.
 */
export const recordMerge = pgTable(
  'record_merge',
  {
    workspaceId: uuid('workspace_id').notNull(),
    id: uuid('id').notNull(),
    object: text('object').notNull(),
    survivorId: uuid('survivor_id').notNull(),
    mergedIds: uuid('merged_ids').array().notNull(),
    /** The survivor's values before and after, for the fields the merge changed. */
    survivorBefore: jsonb('survivor_before').$type<Record<string, unknown>>().notNull(),
    survivorAfter: jsonb('survivor_after').$type<Record<string, unknown>>().notNull(),
    moved: jsonb('moved').$type<MovedReference[]>().notNull(),
    actorKind: text('actor_kind').notNull(),
    actorId: text('actor_id'),
    createdAt: createdAt(),
    undoneAt: timestamp('undone_at', { withTimezone: true }),
    undoneBy: text('undone_by'),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), index('record_merge_survivor_idx').on(t.workspaceId, t.object, t.survivorId)],
);
