import { index, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { citext, createdAt } from './columns';
import { workspace } from './workspace';

/** People who sign in; server-wide, members of one or more workspaces. */
export const appUser = pgTable('app_user', {
  id: uuid('id').primaryKey(),
  email: citext('email').notNull().unique(),
  name: text('name').notNull(),
  passwordHash: text('password_hash'),
  locale: text('locale').notNull().default('en'),
  createdAt: createdAt(),
  deactivatedAt: timestamp('deactivated_at', { withTimezone: true }),
});

export const workspaceMember = pgTable(
  'workspace_member',
  {
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspace.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => appUser.id),
    role: text('role').notNull(),
    /** Who this member reports to: their manager sees and may reassign their records. */
    managerId: uuid('manager_id'),
    createdAt: createdAt(),
    deactivatedAt: timestamp('deactivated_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.userId] }), index('workspace_member_user_idx').on(t.userId), index('workspace_member_manager_idx').on(t.workspaceId, t.managerId)],
);

/** A signed-in browser. The cookie holds a random token; only its SHA-256 is stored. */
export const session = pgTable(
  'session',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => appUser.id),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspace.id),
    csrfToken: text('csrf_token').notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('session_user_idx').on(t.userId)],
);

/**
 * A key for integrations. Looked up by the hash of the presented token, before the workspace is
 * known, hence the one index here that does not start with workspace_id.
 */
export const apiKey = pgTable(
  'api_key',
  {
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspace.id),
    id: uuid('id').notNull(),
    name: text('name').notNull(),
    prefix: text('prefix').notNull(),
    tokenHash: text('token_hash').notNull(),
    role: text('role').notNull(),
    createdBy: uuid('created_by').references(() => appUser.id),
    createdAt: createdAt(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), uniqueIndex('api_key_token_hash_idx').on(t.tokenHash)],
);
