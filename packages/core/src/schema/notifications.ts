import { boolean, index, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from './columns';

/** In-app notifications: one row per recipient. */
export const notification = pgTable(
  'notification',
  {
    workspaceId: uuid('workspace_id').notNull(),
    id: uuid('id').notNull(),
    userId: uuid('user_id').notNull(),
    /** Namespaced by its source: `core.invitation`, `hello.greeting`… (preferences are per kind). */
    kind: text('kind').notNull(),
    title: jsonb('title').$type<{ en: string; fr?: string }>().notNull(),
    body: jsonb('body').$type<{ en: string; fr?: string }>(),
    /** A record it is about, or a path of the shell. */
    link: jsonb('link').$type<{ object: string; id: string } | { path: string }>(),
    source: text('source').notNull(),
    createdAt: createdAt(),
    readAt: timestamp('read_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), index('notification_user_idx').on(t.workspaceId, t.userId, t.id)],
);

/** Per user and kind: whether it shows in the app, and whether it is also sent by mail. */
export const notificationPreference = pgTable(
  'notification_preference',
  {
    workspaceId: uuid('workspace_id').notNull(),
    userId: uuid('user_id').notNull(),
    kind: text('kind').notNull(),
    inApp: boolean('in_app').notNull().default(true),
    email: boolean('email').notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.userId, t.kind] })],
);
