import { index, pgSchema, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const pipelineSchema = pgSchema('plugin_pipeline');

/** Each move of an opportunity from one stage to another: the history and the time spent in each stage. */
export const stageChange = pipelineSchema.table(
  'stage_change',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id').notNull(),
    opportunityId: uuid('opportunity_id').notNull(),
    fromStage: text('from_stage'),
    toStage: text('to_stage'),
    actorId: text('actor_id'),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [index('stage_change_opportunity_idx').on(t.workspaceId, t.opportunityId, t.at)],
);
