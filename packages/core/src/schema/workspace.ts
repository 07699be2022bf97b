import { jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from './columns';

export interface WorkspaceSettings {
  locale?: 'en' | 'fr';
  currency?: string;
  /** Days deleted records stay in the trash before they are erased (30 when unset). */
  trashDays?: number;
}

export const workspace = pgTable('workspace', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  slug: text('slug').notNull().unique(),
  settings: jsonb('settings').$type<WorkspaceSettings>().notNull().default({}),
  createdAt: createdAt(),
});
