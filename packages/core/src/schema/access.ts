import { sql } from 'drizzle-orm';
import { bigserial, check, integer, index, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, updatedAt } from './columns';
import { workspace } from './workspace';

/**
 * Roles edited at run time. A preset (admin, sales_rep…) has a row only once someone edits it;
 * until then its definition comes from the code, so that new presets reach every workspace.
 */
export const role = pgTable(
  'role',
  {
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspace.id),
    key: text('key').notNull(),
    labels: jsonb('labels').$type<{ en: string; fr?: string }>().notNull(),
    definition: jsonb('definition').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.key] })],
);

export const team = pgTable(
  'team',
  {
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspace.id),
    id: uuid('id').notNull(),
    name: text('name').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), uniqueIndex('team_name_idx').on(t.workspaceId, t.name)],
);

export const teamMember = pgTable(
  'team_member',
  {
    workspaceId: uuid('workspace_id').notNull(),
    teamId: uuid('team_id').notNull(),
    userId: uuid('user_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.teamId, t.userId] }), index('team_member_user_idx').on(t.workspaceId, t.userId)],
);

/** One record shared with one user or one team, for reading or editing. */
export const recordShare = pgTable(
  'record_share',
  {
    workspaceId: uuid('workspace_id').notNull(),
    id: uuid('id').notNull(),
    object: text('object').notNull(),
    recordId: uuid('record_id').notNull(),
    userId: uuid('user_id'),
    teamId: uuid('team_id'),
    access: text('access').notNull(),
    createdBy: text('created_by'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.id] }),
    index('record_share_record_idx').on(t.workspaceId, t.object, t.recordId),
    index('record_share_user_idx').on(t.workspaceId, t.userId),
    index('record_share_team_idx').on(t.workspaceId, t.teamId),
    check('record_share_grantee_check', sql`(${t.userId} is null) <> (${t.teamId} is null)`),
    check('record_share_access_check', sql`${t.access} in ('read', 'edit')`),
  ],
);

/**
 * Sign-ins, permission changes, API key use, exports and reads of sensitive fields. Append-only:
 * no API changes it, and a trigger (migration 0003) refuses UPDATE and DELETE.
 */
export const accessAudit = pgTable(
  'access_audit',
  {
    workspaceId: uuid('workspace_id'),
    id: bigserial('id', { mode: 'number' }).notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    action: text('action').notNull(),
    outcome: text('outcome').notNull().default('success'),
    actorKind: text('actor_kind').notNull(),
    actorId: text('actor_id'),
    userId: uuid('user_id'),
    target: text('target'),
    ip: text('ip'),
    detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [
    primaryKey({ columns: [t.id] }),
    index('access_audit_workspace_idx').on(t.workspaceId, t.id),
    index('access_audit_action_idx').on(t.workspaceId, t.action, t.id),
  ],
);

export const userMfa = pgTable('user_mfa', {
  userId: uuid('user_id').primaryKey(),
  secret: text('secret').notNull(),
  enabledAt: timestamp('enabled_at', { withTimezone: true }),
  /** SHA-256 of the unused recovery codes; using one removes it. */
  recoveryCodes: jsonb('recovery_codes').$type<string[]>().notNull().default([]),
  /** The last accepted TOTP time step: a code is never accepted twice (replay). */
  lastTimeStep: integer('last_time_step'),
  createdAt: createdAt(),
});

/** Failed sign-ins per email, for rate limiting and lockout. */
export const loginThrottle = pgTable('login_throttle', {
  email: text('email').primaryKey(),
  failures: integer('failures').notNull(),
  lastFailureAt: timestamp('last_failure_at', { withTimezone: true }).notNull(),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
});

/** Between a right password and a right TOTP code: the second step of a sign-in. */
export const loginChallenge = pgTable('login_challenge', {
  tokenHash: text('token_hash').primaryKey(),
  userId: uuid('user_id').notNull(),
  workspaceId: uuid('workspace_id').notNull(),
  attempts: integer('attempts').notNull().default(0),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
});
