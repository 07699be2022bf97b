import { pgSchema, timestamp, uuid } from 'drizzle-orm/pg-core';

export const leadsSchema = pgSchema('plugin_leads');

/** Workspaces whose leads the scorer has seen: the nightly rescoring goes through them (a plugin learns workspaces from their events). */
export const scoredWorkspace = leadsSchema.table('scored_workspace', {
  workspaceId: uuid('workspace_id').primaryKey(),
  seenAt: timestamp('seen_at', { withTimezone: true }).notNull().defaultNow(),
});
