import { jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
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

/** Secrets a plugin declares (API keys of the services it calls), set by admins, sealed with the server's key. */
export const pluginSecret = pgTable(
  'plugin_secret',
  {
    pluginId: text('plugin_id').notNull(),
    name: text('name').notNull(),
    /** Sealed (AES-256-GCM with RAPPORT_SECRET_KEY); never answered by the API. */
    value: text('value').notNull(),
    updatedBy: text('updated_by'),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.pluginId, t.name] })],
);
