import { integer, pgSchema, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** The plugin's own tables live in its own schema; the host runs its migrations (drizzle/) before its code. */
export const helloSchema = pgSchema('plugin_hello');

export const greeting = helloSchema.table('greeting', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  workspaceId: uuid('workspace_id').notNull(),
  callerId: text('caller_id').notNull(),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
});
