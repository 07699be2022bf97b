import { jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { createdAt, updatedAt } from './columns';

/** The one lifecycle table: which plugins are enabled on this server, at which version, and why one failed. */
export const pluginState = pgTable('plugin_state', {
  id: text('id').primaryKey(),
  version: text('version').notNull(),
  /** enabled, disabled or failed (its error is kept). */
  status: text('status').notNull(),
  error: text('error'),
  /** The plugin's settings, valid against its manifest's schema. */
  settings: jsonb('settings').$type<Record<string, unknown>>().notNull().default({}),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
  enabledAt: timestamp('enabled_at', { withTimezone: true }),
});
